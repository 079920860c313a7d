// Configuration registers of the Engram hash/gather unit on a simple synchronous bus, so one bitstream
// serves any Engram configuration (engram-spec.md §3-§4). The register map is in rtl/README.md and
// src/cosim/registerMap.ts. Writes take effect the next cycle; read data is registered on cfg_re_i and
// valid the cycle after.
// ACTIVE_HEADS and ACTIVE_PORTS steer the control logic, so they are reset (to their maxima) and clamped
// into range. Every other register is a word of one small RAM (one write port, no reset): software loads
// the table configuration after power-up, and a data-path reset (rst_ni) leaves it in place.
module engram_hg_cfg_regs #(
  parameter int unsigned MAX_N     = 3,
  parameter int unsigned HEADS     = 8,
  parameter int unsigned ID_BITS   = 17,
  parameter int unsigned ROW_BYTES = 1024,
  parameter int unsigned DATA_W    = 64,
  parameter int unsigned PORTS     = 4,
  parameter int unsigned DEPTH     = 16
) (
  input  logic                                   clk_i,
  input  logic                                   rst_ni,
  input  logic                                   cfg_we_i,
  input  logic                                   cfg_re_i,
  input  logic [11:0]                            cfg_addr_i,
  input  logic [31:0]                            cfg_wdata_i,
  output logic [31:0]                            cfg_rdata_o,
  input  logic [31:0]                            status_i,
  output logic [$clog2((MAX_N-1)*HEADS+1)-1:0]   active_heads_o,
  output logic [$clog2(PORTS+1)-1:0]             active_ports_o,
  // One bit per head position below ACTIVE_HEADS (2^clog2(heads) bits), for the reassembly buffer.
  output logic [2**$clog2((MAX_N-1)*HEADS)-1:0]  active_mask_o,
  output logic [ID_BITS-1:0]                     pad_o,
  output logic [$clog2(ROW_BYTES+1)-1:0]         row_bytes_o,
  output logic [63:0]                            table_base_o,
  output logic [MAX_N*64-1:0]                    mult_o,
  output logic [(MAX_N-1)*HEADS*32-1:0]          prime_o,
  output logic [(MAX_N-1)*HEADS*64-1:0]          mu_o,
  output logic [(MAX_N-1)*HEADS*40-1:0]          row_off_o,
  output logic [(MAX_N-1)*HEADS*8-1:0]           order_o
);
  localparam int unsigned NHEAD   = (MAX_N - 1) * HEADS;
  localparam int unsigned CNT_W   = $clog2(NHEAD + 1);
  localparam int unsigned PCNT_W  = $clog2(PORTS + 1);
  localparam int unsigned PITCH_W = $clog2(ROW_BYTES + 1);

  // Bus word addresses (rtl/README.md, "Register map").
  localparam logic [11:0] AddrId          = 12'h000;
  localparam logic [11:0] AddrParams0     = 12'h001;
  localparam logic [11:0] AddrParams1     = 12'h002;
  localparam logic [11:0] AddrActiveHeads = 12'h004;
  localparam logic [11:0] AddrActivePorts = 12'h005;
  localparam logic [11:0] AddrPad         = 12'h006;  // PAD .. TABLE_BASE_HI: 0x006..0x009
  localparam logic [11:0] AddrStatus      = 12'h00A;
  localparam logic [11:0] AddrMultBase    = 12'h010;
  localparam logic [11:0] AddrHeadBase    = 12'h100;
  localparam int unsigned HeadFields      = 6;        // prime, mu lo, mu hi, offset lo, offset hi, order
  // Identifies the register map revision; bump when the map changes.
  localparam logic [31:0] IdValue         = 32'hE6A9_0001;

  // RAM words: 0 PAD, 1 ROW_BYTES, 2 BASE_LO, 3 BASE_HI, then 2 per multiplier (lo, hi), then
  // HeadFields per head.
  localparam int unsigned WordMult = 4;
  localparam int unsigned WordHead = WordMult + 2 * MAX_N;
  localparam int unsigned Words    = WordHead + HeadFields * NHEAD;
  localparam int unsigned WORD_W   = $clog2(Words);

  localparam int unsigned MASK_W = 2 ** $clog2(NHEAD);

  logic [CNT_W-1:0]  active_heads_q;
  logic [MASK_W-1:0] active_mask_q;
  logic [PCNT_W-1:0] active_ports_q;
  logic [31:0]       regs_q [Words];

  // Bus address -> {hit, RAM word}; hit is low for the reset registers, read-only and unmapped addresses.
  // Decoded inside the processes below, so it is only evaluated on a bus strobe.
  function automatic logic [WORD_W:0] decode(logic [11:0] addr);
    logic [11:0] rel;
    decode = '0;
    rel = addr - AddrHeadBase;
    if (addr >= AddrPad && addr < AddrPad + 12'd4) begin
      decode = {1'b1, WORD_W'(addr - AddrPad)};
    end else if (addr >= AddrMultBase && addr < AddrMultBase + 12'(2 * MAX_N)) begin
      decode = {1'b1, WORD_W'(32'(addr) - 32'(AddrMultBase) + WordMult)};
    end else if (addr >= AddrHeadBase && addr < AddrHeadBase + 12'(8 * NHEAD)) begin
      decode = {32'(rel[2:0]) < HeadFields, WORD_W'(32'(rel[11:3]) * HeadFields + 32'(rel[2:0]) + WordHead)};
    end
  endfunction

  always_ff @(posedge clk_i) begin
    if (cfg_we_i) begin
      logic [WORD_W:0] d;
      d = decode(cfg_addr_i);
      if (d[WORD_W]) regs_q[d[WORD_W-1:0]] <= cfg_wdata_i;
    end
  end

  // The counts are clamped into their legal range, so no value can wedge the pipeline.
  function automatic logic [CNT_W-1:0] clamp_heads(logic [31:0] v);
    if (v == '0) clamp_heads = CNT_W'(1);
    else if (v > 32'(NHEAD)) clamp_heads = CNT_W'(NHEAD);
    else clamp_heads = v[CNT_W-1:0];
  endfunction
  function automatic logic [MASK_W-1:0] low_ones(logic [CNT_W-1:0] n);
    for (int unsigned b = 0; b < MASK_W; b++) low_ones[b] = 32'(b) < 32'(n);
  endfunction

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      active_heads_q <= CNT_W'(NHEAD);
      active_mask_q  <= low_ones(CNT_W'(NHEAD));
      active_ports_q <= PCNT_W'(PORTS);
    end else if (cfg_we_i && cfg_addr_i == AddrActiveHeads) begin
      active_heads_q <= clamp_heads(cfg_wdata_i);
      active_mask_q  <= low_ones(clamp_heads(cfg_wdata_i));
    end else if (cfg_we_i && cfg_addr_i == AddrActivePorts) begin
      active_ports_q <= cfg_wdata_i == '0 ? PCNT_W'(1)
                      : cfg_wdata_i > 32'(PORTS) ? PCNT_W'(PORTS) : cfg_wdata_i[PCNT_W-1:0];
    end
  end

  // Read data is registered on cfg_re_i, so the read mux stays out of every other timing path (and out
  // of the simulator's per-cycle work).
  always_ff @(posedge clk_i) begin
    if (cfg_re_i) begin
      logic [WORD_W:0] d;
      d = decode(cfg_addr_i);
      if (d[WORD_W]) cfg_rdata_o <= regs_q[d[WORD_W-1:0]];
      else if (cfg_addr_i == AddrId) cfg_rdata_o <= IdValue;
      else if (cfg_addr_i == AddrParams0) cfg_rdata_o <= {8'(MAX_N), 8'(HEADS), 8'(PORTS), 8'(DEPTH)};
      else if (cfg_addr_i == AddrParams1) cfg_rdata_o <= {8'(ID_BITS), 8'(PITCH_W), 16'(DATA_W)};
      else if (cfg_addr_i == AddrActiveHeads) cfg_rdata_o <= 32'(active_heads_q);
      else if (cfg_addr_i == AddrActivePorts) cfg_rdata_o <= 32'(active_ports_q);
      else if (cfg_addr_i == AddrStatus) cfg_rdata_o <= status_i;
      else cfg_rdata_o <= '0;
    end
  end

  assign active_heads_o = active_heads_q;
  assign active_ports_o = active_ports_q;
  assign active_mask_o  = active_mask_q;
  assign pad_o          = regs_q[0][ID_BITS-1:0];
  assign row_bytes_o    = regs_q[1][PITCH_W-1:0];
  assign table_base_o   = {regs_q[3], regs_q[2]};
  for (genvar k = 0; k < MAX_N; k++) begin : g_mult
    assign mult_o[k*64 +: 64] = {regs_q[WordMult + 2*k + 1], regs_q[WordMult + 2*k]};
  end
  for (genvar h = 0; h < NHEAD; h++) begin : g_head
    localparam int unsigned B = WordHead + HeadFields * h;
    assign prime_o[h*32 +: 32]   = regs_q[B];
    assign mu_o[h*64 +: 64]      = {regs_q[B + 2], regs_q[B + 1]};
    assign row_off_o[h*40 +: 40] = {regs_q[B + 4][7:0], regs_q[B + 3]};
    // Read back as written; engram_hg_mod clamps it to MAX_N - 2 where it selects the mix.
    assign order_o[h*8 +: 8]     = regs_q[B + 5][7:0];
  end
endmodule
