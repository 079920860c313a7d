import test from 'ava';
import { SimError } from '../../src/core/index.ts';
import { genericGates, ice40Result, parseYosysStat, xilinxResources } from '../../src/cosim/index.ts';

// Excerpts of real logs: `bash sim/synth.sh MAX_N=2 HEADS=2 PORTS=1 DEPTH=2 DATA_W=32` with yosys 0.23 and
// nextpnr-ice40 0.4 (the end of xilinx.log, of ice40.log and of nextpnr.log).
const XILINX_LOG = `
11. Printing statistics.

=== engram_hash_gather ===

   Number of wires:               3417
   Number of cells:               6030
     BUFG                            1
     CARRY4                        392
     DSP48E2                        48
     FDRE                         2619
     FDSE                            2
     IBUF                          104
     INV                            46
     LUT2                         1368
     LUT3                          507
     LUT4                          188
     LUT5                           91
     LUT6                          394
     MUXF7                          22
     MUXF8                           7
     OBUF                          230
     RAM32M16                       11

Warnings: 7 unique messages, 20 total
End of script. Logfile hash: c8ae8c1962, CPU: user 13.10s system 0.25s, MEM: 172.60 MB peak
`;
const ICE40_LOG = `
=== engram_hg_issue_fmax ===

   Number of memory bits:            0
   Number of processes:              0
   Number of cells:                587
     SB_CARRY                        2
     SB_DFF                         69
     SB_DFFE                       196
     SB_DFFESR                       5
     SB_DFFSR                       67
     SB_DFFSS                        1
     SB_LUT4                       247

Warnings: 3 unique messages, 12 total
`;
const NEXTPNR_LOG = `
Info: Device utilisation:
Info: 	         ICESTORM_LC:   510/ 7680     6%
Info: 	        ICESTORM_RAM:     0/   32     0%
Info: Max frequency for clock 'clk_i$SB_IO_IN_$glb_clk': 72.01 MHz (PASS at 12.00 MHz)
Info: Max frequency for clock 'clk_i$SB_IO_IN_$glb_clk': 82.59 MHz (PASS at 12.00 MHz)
`;

test('synthReport: UltraScale+ counts sum LUT1-6, flops, DSP48E2 and BRAM from the last stat block', (t) => {
  t.deepEqual(xilinxResources(XILINX_LOG, 'xilinx.log'), { luts: 2548, flipFlops: 2621, dsps: 48, bram36: 0, lutRamCells: 11, carryCells: 392 });
});

test('synthReport: iCE40 result takes the final Fmax and the logic-cell utilisation of nextpnr', (t) => {
  t.deepEqual(ice40Result(ICE40_LOG, NEXTPNR_LOG, 'ice40.log'), {
    luts: 247, flipFlops: 338, fmaxMHz: 82.59, logicCells: { used: 510, available: 7680 }, error: null,
  });
});

test('synthReport: a missed frequency target is still a measured Fmax, a placement failure is an error', (t) => {
  const missed = NEXTPNR_LOG.replace(/Info: Max frequency[^\n]*\n$/, "ERROR: Max frequency for clock 'clk': 39.06 MHz (FAIL at 50.00 MHz)\n");
  t.is(ice40Result(ICE40_LOG, missed, 'ice40.log').fmaxMHz, 39.06);
  const failed = ice40Result(ICE40_LOG, 'ERROR: Unable to place cell \'x\', no BELs remaining to implement cell type \'ICESTORM_LC\'\n', 'ice40.log');
  t.deepEqual([failed.fmaxMHz, failed.error], [null, "Unable to place cell 'x', no BELs remaining to implement cell type 'ICESTORM_LC'"]);
});

test('synthReport: generic gates read the transistor estimate when stat -tech cmos printed one', (t) => {
  const log = `   Number of cells:             161096\n     $_NAND_                     80000\n     $_NOR_                      81096\n\n   Estimated number of transistors:     582870+\n`;
  t.deepEqual(genericGates(log, 'generic.log'), { cells: 161096, transistors: 582870 });
  t.deepEqual(genericGates('   Number of cells:     12\n     $_AND_     12\n', 'generic.log'), { cells: 12, transistors: null });
});

test('synthReport: a log without a stat block is an error naming the file', (t) => {
  t.throws(() => parseYosysStat('ERROR: syntax error\n', 'sim/build/x/xilinx.log'), {
    instanceOf: SimError, message: 'sim/build/x/xilinx.log: expected a yosys stat block ("Number of cells:"), found none',
  });
});
