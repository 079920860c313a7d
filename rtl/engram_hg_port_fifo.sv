// Two-entry request queue in front of one memory port. The issue stage may push whenever fewer than two
// entries are held (a registered condition), so the port runs at one request per cycle without a
// combinational path from the memory's ready back into the issue logic. Valid and payload come straight
// from flops and stay stable until accepted. The payload is an address and a tag, kept as two fields (a
// 64-bit address plus a narrow tag simulates as two machine words instead of one wide multi-word vector).
module engram_hg_port_fifo #(
  parameter int unsigned TAG_W = 8
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             push_i,
  input  logic [63:0]      addr_i,
  input  logic [TAG_W-1:0] tag_i,
  // Registered: the queue can take a push this cycle.
  output logic             can_push_o,
  output logic             valid_o,
  input  logic             ready_i,
  output logic [63:0]      addr_o,
  output logic [TAG_W-1:0] tag_o
);
  logic [1:0]       cnt_q;
  logic [63:0]      head_addr_q, tail_addr_q;
  logic [TAG_W-1:0] head_tag_q, tail_tag_q;

  assign valid_o    = cnt_q != 2'd0;
  assign can_push_o = cnt_q != 2'd2;
  assign addr_o     = head_addr_q;
  assign tag_o      = head_tag_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) cnt_q <= 2'd0;
    else cnt_q <= cnt_q + 2'(push_i) - 2'(valid_o && ready_i);
  end

  // A push is never offered when full (can_push_o), so four cases cover all moves. The pop condition is
  // written out in each process rather than as a shared signal: it depends on the memory's ready input,
  // and a named signal would be evaluated by the simulator both when that input changes and at the edge.
  always_ff @(posedge clk_i) begin
    if (valid_o && ready_i) begin
      if (cnt_q == 2'd2) begin
        head_addr_q <= tail_addr_q;
        head_tag_q  <= tail_tag_q;
      end else if (push_i) begin
        head_addr_q <= addr_i;
        head_tag_q  <= tag_i;
      end
      if (cnt_q == 2'd2 && push_i) begin
        tail_addr_q <= addr_i;
        tail_tag_q  <= tag_i;
      end
    end else if (push_i) begin
      if (cnt_q == 2'd0) begin
        head_addr_q <= addr_i;
        head_tag_q  <= tag_i;
      end else begin
        tail_addr_q <= addr_i;
        tail_tag_q  <= tag_i;
      end
    end
  end
endmodule
