// Stage 8 of the hash pipeline, one instance per head: the row address of engram-spec.md §4,
//   addr = table base + (row offset of the head + index) * row bytes,
// where the row offset is the exclusive prefix sum of the layer's primes (all heads share one table).
module engram_hg_addr #(
  parameter int unsigned PITCH_W = 11
) (
  input  logic               clk_i,
  input  logic               en_i,
  input  logic [31:0]        idx_i,
  input  logic [39:0]        row_off_i,
  input  logic [63:0]        base_i,
  input  logic [PITCH_W-1:0] row_bytes_i,
  output logic [63:0]        addr_o,
  output logic [31:0]        idx_o
);
  function automatic logic [63:0] row_addr(logic [39:0] off, logic [31:0] idx, logic [63:0] base,
                                           logic [PITCH_W-1:0] pitch);
    logic [39:0] row;
    row = off + 40'(idx);
    row_addr = base + 64'(row) * 64'(pitch);
  endfunction

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      addr_o <= row_addr(row_off_i, idx_i, base_i, row_bytes_i);
      idx_o  <= idx_i;
    end
  end
endmodule
