// Stage 8 of the hash pipeline for every head position: the row address of engram-spec.md §4,
//   addr = table base + (row offset of the head + index) * row bytes,
// where the row offset is the exclusive prefix sum of the layer's primes (all heads share one table).
// The outputs are the stage registers themselves, head h at a constant offset (see engram_hg_mod.sv).
module engram_hg_addr #(
  parameter int unsigned NHEAD   = 16,
  parameter int unsigned PITCH_W = 11
) (
  input  logic                  clk_i,
  input  logic                  en_i,
  // Head h's index in bits [32h +: 32].
  input  logic [NHEAD*32-1:0]   idx_i,
  // Head h's 40-bit row offset in bits [64h +: 40] (two register words per head).
  input  logic [NHEAD*64-1:0]   row_off_i,
  input  logic [63:0]           base_i,
  input  logic [PITCH_W-1:0]    row_bytes_i,
  // Head h's byte address in bits [64h +: 64] and its index in bits [32h +: 32].
  output logic [NHEAD*64-1:0]   addr_o,
  output logic [NHEAD*32-1:0]   idx_o
);
  function automatic logic [63:0] row_addr(logic [39:0] off, logic [31:0] idx, logic [63:0] base,
                                           logic [PITCH_W-1:0] pitch);
    logic [39:0] row;
    row = off + 40'(idx);
    row_addr = base + 64'(row) * 64'(pitch);
  endfunction

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      for (int unsigned h = 0; h < NHEAD; h++) begin
        addr_o[h*64 +: 64] <= row_addr(row_off_i[h*64 +: 40], idx_i[h*32 +: 32], base_i, row_bytes_i);
      end
      idx_o <= idx_i;
    end
  end
endmodule
