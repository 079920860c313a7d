// Response collection and in-order reassembly. Every token owns one slot from the moment its first request
// can issue, so responses (which may come back in any order, on any port) are never refused: the slot and
// head position travel in the tag. A slot is complete when all active heads have answered; slots drain in
// allocation order into the output register, which presents one whole embedding vector per token (all heads,
// in spec order, engram-spec.md §4) with the head indices alongside; the vector outputs are the flops.
module engram_hg_reorder #(
  parameter int unsigned NHEAD  = 16,
  parameter int unsigned PORTS  = 4,
  parameter int unsigned DEPTH  = 16,
  parameter int unsigned DATA_W = 64,
  parameter int unsigned POS_W  = 4,
  parameter int unsigned SLOT_W = 4
) (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  input  logic [$clog2(NHEAD+1)-1:0]          active_heads_i,
  // Bit h set for every active head position h (from the configuration registers).
  input  logic [2**POS_W-1:0]                 active_mask_i,
  // Slot allocation (a token moved into issue) with that token's head indices.
  input  logic                                alloc_i,
  input  logic [SLOT_W-1:0]                   alloc_slot_i,
  input  logic [NHEAD*32-1:0]                 alloc_idx_i,
  output logic                                slot_free_o,
  // Memory responses.
  input  logic [PORTS-1:0]                    rsp_valid_i,
  input  logic [PORTS*(SLOT_W+POS_W)-1:0]     rsp_tag_i,
  input  logic [PORTS*DATA_W-1:0]             rsp_data_i,
  // Output vectors.
  output logic                                vec_valid_o,
  input  logic                                vec_ready_i,
  output logic [NHEAD*DATA_W-1:0]             vec_data_o,
  output logic [NHEAD*32-1:0]                 vec_index_o,
  output logic                                busy_o
);
  localparam int unsigned TAG_W = SLOT_W + POS_W;

  localparam int unsigned POS_N = 2 ** POS_W;

  // Bit {s, h} of got_q: head h of the token in slot s has answered. One flat vector (not an array of
  // per-slot words), so the simulator sets a response's bit in place.
  logic [DEPTH*POS_N-1:0] got_q;
  logic [POS_N-1:0]       got_rd;
  logic [DATA_W-1:0]  data_q [DEPTH * POS_N];
  logic [NHEAD*32-1:0] idx_q [DEPTH];
  logic [SLOT_W-1:0]  rd_q;
  logic               out_valid_q;
  logic               load;

  // The head slot is complete when every active head has answered (active_heads_i >= 1).
  assign got_rd = got_q[{rd_q, POS_W'(0)} +: POS_N];
  assign load = got_rd == active_mask_i && (!out_valid_q || vec_ready_i);
  assign slot_free_o = load;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      got_q       <= '0;
      rd_q        <= '0;
      out_valid_q <= 1'b0;
    end else begin
      // Each (slot, head) answers exactly once, so the ports never set the same bit.
      for (int unsigned p = 0; p < PORTS; p++) begin
        if (rsp_valid_i[p]) begin
          got_q[rsp_tag_i[p*TAG_W +: TAG_W]] <= 1'b1;
        end
      end
      if (load) begin
        got_q[{rd_q, POS_W'(0)} +: POS_N] <= '0;
        rd_q <= rd_q + SLOT_W'(1);
        out_valid_q <= 1'b1;
      end else if (vec_ready_i) begin
        out_valid_q <= 1'b0;
      end
    end
  end

  // Storage needs no reset: a slot's count qualifies its data.
  always_ff @(posedge clk_i) begin
    for (int unsigned p = 0; p < PORTS; p++) begin
      if (rsp_valid_i[p]) data_q[rsp_tag_i[p*TAG_W +: TAG_W]] <= rsp_data_i[p*DATA_W +: DATA_W];
    end
    if (alloc_i) idx_q[alloc_slot_i] <= alloc_idx_i;
    if (load) begin
      for (int unsigned h = 0; h < NHEAD; h++) begin
        // Heads beyond the active count read as zero.
        vec_data_o[h*DATA_W +: DATA_W] <= 32'(h) < 32'(active_heads_i) ? data_q[{rd_q, POS_W'(h)}] : '0;
        vec_index_o[h*32 +: 32] <= 32'(h) < 32'(active_heads_i) ? idx_q[rd_q][h*32 +: 32] : '0;
      end
    end
  end

  assign vec_valid_o = out_valid_q;
  assign busy_o      = out_valid_q || got_rd != '0;
endmodule
