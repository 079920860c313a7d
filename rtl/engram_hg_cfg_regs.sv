// Configuration registers of the Engram hash/gather unit on a simple synchronous bus, so one bitstream
// serves any Engram configuration (engram-spec.md §3-§4). The register map is in rtl/README.md and
// src/cosim/registerMap.ts. Writes take effect the next cycle; read data is registered on cfg_re_i and
// valid the cycle after.
// ACTIVE_HEADS and ACTIVE_PORTS steer the control logic, so they are reset (to their maxima) and clamped
// into range. Every other register is a plain 32-bit word without reset: software loads the table
// configuration after power-up, and a data-path reset (rst_ni) leaves it in place. The words are grouped
// into one vector per field (all heads' primes, all heads' mu, ...), and those vectors are the outputs, so
// the data path reads each head's field at a constant offset and nothing is copied per cycle.
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
  // Per head h: PRIME in [32h +: 32], {MU_HI, MU_LO} in [64h +: 64], {OFFSET_HI, OFFSET_LO} in
  // [64h +: 64] (the row offset is the low 40 bits), ORDER in [32h +: 32] (the order is the low 8 bits).
  output logic [(MAX_N-1)*HEADS*32-1:0]          prime_o,
  output logic [(MAX_N-1)*HEADS*64-1:0]          mu_o,
  output logic [(MAX_N-1)*HEADS*64-1:0]          row_off_o,
  output logic [(MAX_N-1)*HEADS*32-1:0]          order_o
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
  localparam logic [11:0] AddrPad         = 12'h006;
  localparam logic [11:0] AddrRowBytes    = 12'h007;
  localparam logic [11:0] AddrBaseLo      = 12'h008;
  localparam logic [11:0] AddrBaseHi      = 12'h009;
  localparam logic [11:0] AddrStatus      = 12'h00A;
  localparam logic [11:0] AddrMultBase    = 12'h010;
  // Head a's block is 0x100 + 8a: prime, mu lo, mu hi, offset lo, offset hi, order (fields 6, 7 unused).
  localparam logic [8:0]  HeadBlockBase   = 9'h020;
  localparam logic [2:0]  FieldPrime      = 3'd0;
  localparam logic [2:0]  FieldMuLo       = 3'd1;
  localparam logic [2:0]  FieldMuHi       = 3'd2;
  localparam logic [2:0]  FieldOffLo      = 3'd3;
  localparam logic [2:0]  FieldOffHi      = 3'd4;
  localparam logic [2:0]  FieldOrder      = 3'd5;
  // Identifies the register map revision; bump when the map changes.
  localparam logic [31:0] IdValue         = 32'hE6A9_0001;

  localparam int unsigned MASK_W = 2 ** $clog2(NHEAD);

  logic [CNT_W-1:0]        active_heads_q;
  logic [MASK_W-1:0]       active_mask_q;
  logic [PCNT_W-1:0]       active_ports_q;
  logic [31:0]             pad_q, row_bytes_q;
  logic [63:0]             base_q;
  logic [MAX_N*64-1:0]     mult_q;
  logic [NHEAD*32-1:0]     prime_q, order_q;
  logic [NHEAD*64-1:0]     mu_q, off_q;

  // Table configuration writes: one decoder over constant word slices (no variable part-selects).
  always_ff @(posedge clk_i) begin
    if (cfg_we_i) begin
      if (cfg_addr_i == AddrPad) pad_q <= cfg_wdata_i;
      if (cfg_addr_i == AddrRowBytes) row_bytes_q <= cfg_wdata_i;
      if (cfg_addr_i == AddrBaseLo) base_q[31:0] <= cfg_wdata_i;
      if (cfg_addr_i == AddrBaseHi) base_q[63:32] <= cfg_wdata_i;
      for (int unsigned w = 0; w < 2 * MAX_N; w++) begin
        if (cfg_addr_i == AddrMultBase + 12'(w)) mult_q[w*32 +: 32] <= cfg_wdata_i;
      end
      for (int unsigned a = 0; a < NHEAD; a++) begin
        if (cfg_addr_i[11:3] == HeadBlockBase + 9'(a)) begin
          case (cfg_addr_i[2:0])
            FieldPrime: prime_q[a*32 +: 32]    <= cfg_wdata_i;
            FieldMuLo:  mu_q[a*64 +: 32]       <= cfg_wdata_i;
            FieldMuHi:  mu_q[a*64 + 32 +: 32]  <= cfg_wdata_i;
            FieldOffLo: off_q[a*64 +: 32]      <= cfg_wdata_i;
            FieldOffHi: off_q[a*64 + 32 +: 32] <= cfg_wdata_i;
            FieldOrder: order_q[a*32 +: 32]    <= cfg_wdata_i;
            default: ;
          endcase
        end
      end
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
    end else if (cfg_we_i) begin
      // The write enable is tested first, so the common cycle (no write) costs one test in simulation.
      if (cfg_addr_i == AddrActiveHeads) begin
        active_heads_q <= clamp_heads(cfg_wdata_i);
        active_mask_q  <= low_ones(clamp_heads(cfg_wdata_i));
      end
      if (cfg_addr_i == AddrActivePorts) begin
        active_ports_q <= cfg_wdata_i == '0 ? PCNT_W'(1)
                        : cfg_wdata_i > 32'(PORTS) ? PCNT_W'(PORTS) : cfg_wdata_i[PCNT_W-1:0];
      end
    end
  end

  // Read data is registered on cfg_re_i, so the read mux stays out of every other timing path (and out
  // of the simulator's per-cycle work). Unmapped addresses read zero.
  always_ff @(posedge clk_i) begin
    if (cfg_re_i) begin
      logic [31:0] rd;
      rd = '0;
      if (cfg_addr_i == AddrId) rd = IdValue;
      if (cfg_addr_i == AddrParams0) rd = {8'(MAX_N), 8'(HEADS), 8'(PORTS), 8'(DEPTH)};
      if (cfg_addr_i == AddrParams1) rd = {8'(ID_BITS), 8'(PITCH_W), 16'(DATA_W)};
      if (cfg_addr_i == AddrActiveHeads) rd = 32'(active_heads_q);
      if (cfg_addr_i == AddrActivePorts) rd = 32'(active_ports_q);
      if (cfg_addr_i == AddrPad) rd = pad_q;
      if (cfg_addr_i == AddrRowBytes) rd = row_bytes_q;
      if (cfg_addr_i == AddrBaseLo) rd = base_q[31:0];
      if (cfg_addr_i == AddrBaseHi) rd = base_q[63:32];
      if (cfg_addr_i == AddrStatus) rd = status_i;
      for (int unsigned w = 0; w < 2 * MAX_N; w++) begin
        if (cfg_addr_i == AddrMultBase + 12'(w)) rd = mult_q[w*32 +: 32];
      end
      for (int unsigned a = 0; a < NHEAD; a++) begin
        if (cfg_addr_i[11:3] == HeadBlockBase + 9'(a)) begin
          case (cfg_addr_i[2:0])
            FieldPrime: rd = prime_q[a*32 +: 32];
            FieldMuLo:  rd = mu_q[a*64 +: 32];
            FieldMuHi:  rd = mu_q[a*64 + 32 +: 32];
            FieldOffLo: rd = off_q[a*64 +: 32];
            FieldOffHi: rd = off_q[a*64 + 32 +: 32];
            FieldOrder: rd = order_q[a*32 +: 32];
            default: ;
          endcase
        end
      end
      cfg_rdata_o <= rd;
    end
  end

  assign active_heads_o = active_heads_q;
  assign active_ports_o = active_ports_q;
  assign active_mask_o  = active_mask_q;
  assign pad_o          = pad_q[ID_BITS-1:0];
  assign row_bytes_o    = row_bytes_q[PITCH_W-1:0];
  assign table_base_o   = base_q;
  assign mult_o         = mult_q;
  assign prime_o        = prime_q;
  assign mu_o           = mu_q;
  assign row_off_o      = off_q;
  assign order_o        = order_q;
endmodule
