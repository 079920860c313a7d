// Strict schema of a DRAM preset document (targets/memory/*.json): organization, JEDEC timing in clock
// cycles (JESD79-4 DDR4, JESD79-5 DDR5, JESD235 HBM2, JESD238 HBM3), refresh, command bus, address mapping.
import { z } from 'zod';

const posInt = z.number().int().positive();
const cycles = z.number().int().min(0);

/** Where a number set comes from: a standard, a data sheet or a peer simulator's table, with a note. */
const provenance = z.strictObject({
  source: z.string().min(1),
  note: z.string().min(1).optional(),
});

/** Address-mapping entry, low to high: `field` takes all remaining digits, `field:bits` takes 2^bits of them. */
export const MAPPING_FIELDS = ['channel', 'rank', 'bankGroup', 'bank', 'row', 'column'] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];
const mappingEntry = z
  .string()
  .regex(/^(channel|rank|bankGroup|bank|row|column)(:[1-9][0-9]?)?$/, 'expected "<field>" or "<field>:<bits>" with field one of channel, rank, bankGroup, bank, row, column');

export const addressMappingSchema = z.array(mappingEntry).min(1);

const timingSchema = z.strictObject({
  /** ACT to RD. */
  tRcdCycles: posInt,
  /** ACT to WR (HBM has a shorter tRCDWR; DDR uses tRCD). */
  tRcdWrCycles: posInt,
  /** RD to first data (CAS latency). */
  tClCycles: posInt,
  /** WR to first write data (CAS write latency). */
  tCwlCycles: posInt,
  tRpCycles: posInt,
  tRasCycles: posInt,
  tRcCycles: posInt,
  /** Column to column, different / same bank group. */
  tCcdSCycles: posInt,
  tCcdLCycles: posInt,
  /** WR to WR in the same bank group (DDR5 tCCD_L_WR; other standards repeat tCCD_L). */
  tCcdLWrCycles: posInt,
  /** ACT to ACT, different / same bank group. */
  tRrdSCycles: posInt,
  tRrdLCycles: posInt,
  /** Four-activate window. */
  tFawCycles: posInt,
  /** End of write data to RD, different / same bank group. */
  tWtrSCycles: posInt,
  tWtrLCycles: posInt,
  /** RD to PRE. */
  tRtpCycles: posInt,
  /** End of write data to PRE (write recovery). */
  tWrCycles: posInt,
  /** Extra data-bus cycles when consecutive bursts come from different ranks. */
  tRtrsCycles: cycles,
  /** Bus turnaround cycles added between a read burst and a following write burst. */
  tRtwTurnaroundCycles: cycles,
});

const refreshSchema = z.strictObject({
  /**
   * all-bank: REFab per rank every tREFI. per-bank: one bank at a time (HBM REFSB/REFpb), the rank's banks
   * in turn within tREFI. same-bank: one bank index in every bank group at a time (DDR5 REFsb).
   */
  scheme: z.enum(['all-bank', 'per-bank', 'same-bank']),
  /** Interval in which every bank is refreshed once (JEDEC tREFI). */
  tRefiNs: z.number().positive(),
  /** Blocking time of one refresh command of the chosen scheme (tRFC, tRFCsb or tRFCpb). */
  tRfcNs: z.number().positive(),
  provenance,
});

export const dramDeviceSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  kind: z.literal('dram'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes'),
  description: z.string().min(1),
  /** The JEDEC standard the structure and timing follow, e.g. "JESD79-4 DDR4". */
  standard: z.string().min(1),
  organization: z.strictObject({
    /** Channels of the device (DIMM: 1; HBM stack: 8 or 16). */
    channels: posInt,
    /** Independent halves of a channel with their own data bus and banks: HBM pseudo-channels, DDR5 sub-channels. */
    subChannelsPerChannel: posInt.default(1),
    /** Data width of one (sub-)channel in bits. */
    channelWidthBits: posInt,
    ranks: posInt,
    bankGroups: posInt,
    banksPerGroup: posInt,
    /** Rows per bank. */
    rows: posInt,
    /** Row (page) size of one (sub-)channel across its devices, in bytes. */
    rowBytes: posInt,
    /** Beats per burst (BL). */
    burstLength: posInt,
    provenance,
  }),
  clock: z.strictObject({
    /** Data rate per pin in MT/s. */
    dataRateMTps: z.number().positive(),
    /** Data beats per command clock: 2 for DDR4/DDR5/HBM2, 4 for HBM3 (WDQS at twice CK). */
    transfersPerClock: z.union([z.literal(2), z.literal(4)]),
  }),
  timing: timingSchema.extend({ provenance }),
  refresh: refreshSchema,
  commandBus: z.strictObject({
    /** HBM has separate row and column command buses (one of each per cycle); DDR shares one. */
    splitRowColumn: z.boolean(),
    /** Clock cycles an ACT occupies the bus; timing counts from its last cycle (DDR5 and HBM: 2). */
    actCycles: z.number().int().min(1).max(4),
    /** Clock cycles a RD/WR occupies the bus (DDR5: 2). */
    casCycles: z.number().int().min(1).max(4),
  }),
  /** Default address mapping, low bits to high bits above the burst offset. */
  addressMapping: addressMappingSchema,
  controller: z
    .strictObject({
      /** Bursts a channel controller holds waiting for a column command (transaction queue). */
      queueDepth: posInt.default(32),
      /** open: rows stay open until a conflict; closed: auto-precharge when no queued burst hits the row. */
      pagePolicy: z.enum(['open', 'closed']).default('open'),
      /** Column commands to one open row while an older burst waits for another row (FR-FCFS cap). */
      rowHitCap: posInt.default(16),
    })
    .prefault({}),
});

/** A host memory system built from a device preset: `modules` copies of it behind one controller set. */
export const dramSystemSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  kind: z.literal('dram-system'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes'),
  description: z.string().min(1),
  /** Name of a `kind: "dram"` preset in the same folder. */
  device: z.string().min(1),
  /** Independent channels (one DIMM each); their channels interleave as one channel field. */
  modules: posInt,
  provenance,
});

export const memoryPresetSchema = z.discriminatedUnion('kind', [dramDeviceSchema, dramSystemSchema]);

export type DramDeviceDocument = z.output<typeof dramDeviceSchema>;
export type DramSystemDocument = z.output<typeof dramSystemSchema>;
export type MemoryPresetDocument = z.output<typeof memoryPresetSchema>;
export type DramTimingDocument = z.output<typeof timingSchema>;
