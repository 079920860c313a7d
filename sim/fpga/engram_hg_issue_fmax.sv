// Fmax wrapper for nextpnr (sim/synth.sh): the unit's widest control path, the request issue stage
// (rtl/engram_hg_issue.sv) at the default NHEAD, PORTS and DEPTH, with its 1,600-odd input and output bits
// driven from a 64-bit LFSR and folded into a few output pins, so it fits an iCE40's I/O. Registers on
// every wrapper input and output keep the measured paths inside the issue stage.
module engram_hg_issue_fmax #(
  parameter int unsigned NHEAD = 16,
  parameter int unsigned PORTS = 4,
  parameter int unsigned DEPTH = 16
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  output logic [3:0] fold_o
);
  localparam int unsigned POS_W  = $clog2(NHEAD);
  localparam int unsigned SLOT_W = $clog2(DEPTH);

  // x^64 + x^63 + x^61 + x^60 + 1 (maximal length).
  logic [63:0] lfsr_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) lfsr_q <= 64'h1;
    else lfsr_q <= {lfsr_q[62:0], lfsr_q[63] ^ lfsr_q[62] ^ lfsr_q[60] ^ lfsr_q[59]};
  end

  logic [NHEAD*64-1:0] b_addr_q;
  logic                b_valid_q, slot_free_q;
  logic [PORTS-1:0]    req_ready_q;
  always_ff @(posedge clk_i) begin
    // Each head sees the LFSR rotated by its index, so the address bits differ between heads.
    for (int unsigned h = 0; h < NHEAD; h++) b_addr_q[h*64 +: 64] <= (lfsr_q << h) | (lfsr_q >> (64 - h));
    b_valid_q   <= lfsr_q[3];
    slot_free_q <= lfsr_q[17] & lfsr_q[40];
    req_ready_q <= lfsr_q[PORTS+8:9];
  end

  logic                             b_move;
  logic [SLOT_W-1:0]                alloc_slot;
  logic [SLOT_W:0]                  used;
  logic                             a_valid;
  logic [PORTS-1:0]                 req_valid;
  logic [PORTS*64-1:0]              req_addr;
  logic [PORTS*(SLOT_W+POS_W)-1:0]  req_tag;
  engram_hg_issue #(
    .NHEAD (NHEAD),
    .PORTS (PORTS),
    .DEPTH (DEPTH),
    .POS_W (POS_W),
    .SLOT_W(SLOT_W)
  ) u_issue (
    .clk_i,
    .rst_ni,
    .active_heads_i($clog2(NHEAD+1)'(NHEAD)),
    .active_ports_i($clog2(PORTS+1)'(PORTS)),
    .b_valid_i     (b_valid_q),
    .b_addr_i      (b_addr_q),
    .b_move_o      (b_move),
    .alloc_slot_o  (alloc_slot),
    .slot_free_i   (slot_free_q),
    .used_o        (used),
    .a_valid_o     (a_valid),
    .req_valid_o   (req_valid),
    .req_ready_i   (req_ready_q),
    .req_addr_o    (req_addr),
    .req_tag_o     (req_tag)
  );

  always_ff @(posedge clk_i) begin
    fold_o <= {^req_addr, ^req_tag, ^{req_valid, b_move, a_valid}, ^{alloc_slot, used}};
  end
endmodule
