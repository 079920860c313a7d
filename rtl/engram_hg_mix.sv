// Stages 2-3 of the hash pipeline: the multiplier array and the per-order XOR mix of engram-spec.md §3.3,
//   mix_n(t) = (x'_t * m_0) XOR (x'_{t-1} * m_1) XOR ... XOR (x'_{t-n+1} * m_{n-1}),  n = 2..MAX_N.
// Products are taken mod 2^64 (int64 wrap). For ids below V' they are below 2^63 and never wrap (spec §3.3).
module engram_hg_mix #(
  parameter int unsigned MAX_N   = 3,
  parameter int unsigned ID_BITS = 17
) (
  input  logic                         clk_i,
  // Stage enables from the pipeline control in the top level.
  input  logic                         en_prod_i,
  input  logic                         en_mix_i,
  input  logic [MAX_N*ID_BITS-1:0]     win_i,
  input  logic [MAX_N*64-1:0]          mult_i,
  // mix_o[o] is the mix of order n = o + 2.
  output logic [(MAX_N-1)*64-1:0]      mix_o
);
  // Flat vectors (entry k at [64k +: 64]), and mix_q is the output itself (no per-cycle copy in simulation).
  logic [MAX_N*64-1:0]     prod_q;
  logic [(MAX_N-1)*64-1:0] mix_q;

  // Stage 2: one ID_BITS x 64 multiplier per window position (the data path needs no reset: the
  // stage valid bits live in the top level).
  always_ff @(posedge clk_i) begin
    if (en_prod_i) begin
      for (int unsigned k = 0; k < MAX_N; k++) begin
        prod_q[k*64 +: 64] <= 64'(win_i[k*ID_BITS +: ID_BITS]) * mult_i[k*64 +: 64];
      end
    end
  end

  // Stage 3: the order-n mix is the order-(n-1) mix XOR one more term, so it is a prefix XOR.
  always_ff @(posedge clk_i) begin
    if (en_mix_i) begin
      for (int unsigned o = 0; o < MAX_N - 1; o++) begin
        logic [63:0] acc;
        acc = prod_q[0 +: 64];
        for (int unsigned k = 1; k <= o + 1; k++) acc = acc ^ prod_q[k*64 +: 64];
        mix_q[o*64 +: 64] <= acc;
      end
    end
  end

  assign mix_o = mix_q;
endmodule
