// Stages 4-7 of the hash pipeline, one instance per head: z = mix mod p (engram-spec.md §3.4) by
// Barrett reduction, fully pipelined (one result per cycle). With mu = floor(2^64 / p), computed in
// TypeScript (src/cosim/registerMap.ts) and loaded as configuration:
//   q = floor(x * mu / 2^64) is floor(x / p) or one less, so r = x - q*p lies in [0, 2p)
// and one conditional subtraction finishes. r < 2p < 2^32 needs only the low 33 bits of x and of q*p.
// Domain: x, the mix of the head's order, is unsigned 64-bit (non-negative ids); 2 <= p < 2^31.
module engram_hg_mod #(
  parameter int unsigned MAX_N = 3
) (
  input  logic                    clk_i,
  // Stage enables from the pipeline control in the top level.
  input  logic                    en_pp_i,
  input  logic                    en_q_i,
  input  logic                    en_r0_i,
  input  logic                    en_r_i,
  // Mixes of every order; order_i picks this head's (order n = order_i + 2).
  input  logic [(MAX_N-1)*64-1:0] mix_i,
  input  logic [7:0]              order_i,
  input  logic [63:0]             mu_i,
  input  logic [31:0]             p_i,
  output logic [31:0]             r_o
);
  // Stage 4: four 32x32 partial products of x * mu (each maps onto a DSP column). Only the bits that
  // reach q mod 2^33 are kept: the high half of ll and the low 33 bits of hh.
  logic [31:0] pp_ll_q;
  logic [63:0] pp_lh_q, pp_hl_q;
  logic [32:0] pp_hh_q;
  logic [32:0] x_s4_q;
  always_ff @(posedge clk_i) begin
    if (en_pp_i) begin
      logic [63:0] x;
      // Orders beyond MAX_N are clamped so a bad write cannot select a missing mix.
      x = mix_i[(32'(order_i) > MAX_N - 2 ? MAX_N - 2 : 32'(order_i))*64 +: 64];
      pp_ll_q <= 32'((64'(x[31:0]) * 64'(mu_i[31:0])) >> 32);
      pp_lh_q <= 64'(x[31:0])  * 64'(mu_i[63:32]);
      pp_hl_q <= 64'(x[63:32]) * 64'(mu_i[31:0]);
      pp_hh_q <= 33'(64'(x[63:32]) * 64'(mu_i[63:32]));
      x_s4_q  <= x[32:0];
    end
  end

  // Stage 5: q mod 2^33 = (hh + lh[63:32] + hl[63:32] + carry out of the middle column) mod 2^33,
  // where the middle column is ll[63:32] + lh[31:0] + hl[31:0].
  function automatic logic [32:0] quotient33(logic [31:0] ll_hi, logic [63:0] lh, logic [63:0] hl,
                                             logic [32:0] hh);
    logic [1:0] carry;
    carry = 2'((34'(ll_hi) + 34'(lh[31:0]) + 34'(hl[31:0])) >> 32);
    quotient33 = hh + 33'(lh[63:32]) + 33'(hl[63:32]) + 33'(carry);
  endfunction

  logic [32:0] q_s5_q, x_s5_q;
  always_ff @(posedge clk_i) begin
    if (en_q_i) begin
      q_s5_q <= quotient33(pp_ll_q, pp_lh_q, pp_hl_q, pp_hh_q);
      x_s5_q <= x_s4_q;
    end
  end

  // Stage 6: r0 = x - q*p in [0, 2p), computed mod 2^33. The primes are static configuration, so p
  // needs no pipeline copy (reconfiguring while tokens are in flight is not supported).
  logic [32:0] r0_s6_q;
  always_ff @(posedge clk_i) begin
    if (en_r0_i) r0_s6_q <= x_s5_q - 33'(q_s5_q * 33'(p_i));
  end

  // Stage 7: the one conditional subtraction.
  always_ff @(posedge clk_i) begin
    if (en_r_i) r_o <= r0_s6_q >= 33'(p_i) ? 32'(r0_s6_q - 33'(p_i)) : r0_s6_q[31:0];
  end
endmodule
