// Two-entry request queue in front of one memory port. The issue stage may push whenever fewer than two
// entries are held (a registered condition), so the port runs at one request per cycle without a
// combinational path from the memory's ready back into the issue logic. Valid and payload come straight
// from flops and stay stable until accepted.
module engram_hg_port_fifo #(
  parameter int unsigned W = 72
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         push_i,
  input  logic [W-1:0] data_i,
  // Registered: the queue can take a push this cycle.
  output logic         can_push_o,
  output logic         valid_o,
  input  logic         ready_i,
  output logic [W-1:0] data_o
);
  logic [1:0]   cnt_q;
  logic [W-1:0] head_q, tail_q;
  logic         pop;

  assign pop        = valid_o && ready_i;
  assign valid_o    = cnt_q != 2'd0;
  assign can_push_o = cnt_q != 2'd2;
  assign data_o     = head_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) cnt_q <= 2'd0;
    else cnt_q <= cnt_q + 2'(push_i) - 2'(pop);
  end

  // A push is never offered when full (can_push_o), so four cases cover all moves.
  always_ff @(posedge clk_i) begin
    if (pop) begin
      if (cnt_q == 2'd2) head_q <= tail_q;
      else if (push_i) head_q <= data_i;
      if (cnt_q == 2'd2 && push_i) tail_q <= data_i;
    end else if (push_i) begin
      if (cnt_q == 2'd0) head_q <= data_i;
      else tail_q <= data_i;
    end
  end
endmodule
