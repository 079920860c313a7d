// Stages 4-7 of the hash pipeline for every head position: z = mix mod p (engram-spec.md §3.4) by
// Barrett reduction, fully pipelined (one result per head per cycle). With mu = floor(2^64 / p), computed
// in TypeScript (src/cosim/registerMap.ts) and loaded as configuration:
//   q = floor(x * mu / 2^64) is floor(x / p) or one less, so r = x - q*p lies in [0, 2p)
// and one conditional subtraction finishes. r < 2p < 2^32 needs only the low 33 bits of x and of q*p.
// Domain: x, the mix of the head's order, is unsigned 64-bit (non-negative ids); 2 <= p < 2^31.
// All heads sit in one module so the configuration buses come in whole and every head's slice has a
// constant offset: synthesis sees NHEAD independent lanes, and Verilator evaluates a lane's arithmetic
// only in the cycle its stage enable is high (no per-cycle copies of bus slices).
module engram_hg_mod #(
  parameter int unsigned MAX_N = 3,
  parameter int unsigned NHEAD = 16
) (
  input  logic                    clk_i,
  // Stage enables from the pipeline control in the top level.
  input  logic                    en_pp_i,
  input  logic                    en_q_i,
  input  logic                    en_r0_i,
  input  logic                    en_r_i,
  // Mixes of every order; head h's order register picks one (order n = order + 2).
  input  logic [(MAX_N-1)*64-1:0] mix_i,
  // Per head h: order in bits [32h +: 8] (a whole register word per head), mu in [64h +: 64], p in [32h +: 32].
  // Only the low 8 bits of each word are read (the order field of the register).
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [NHEAD*32-1:0]     order_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [NHEAD*64-1:0]     mu_i,
  input  logic [NHEAD*32-1:0]     p_i,
  // Head h's index z in bits [32h +: 32].
  output logic [NHEAD*32-1:0]     r_o
);
  // Every head is its own lane (a generate block): its stage registers are plain variables, not elements
  // of arrays indexed by head, so the simulator writes them in place (no deferred-update bookkeeping) and
  // evaluates a lane's arithmetic only in the cycle its stage enable is high.
  for (genvar h = 0; h < NHEAD; h++) begin : g_head
    // Stage 4: four 32x32 partial products of x * mu (each maps onto a DSP column). Only the bits that
    // reach q mod 2^33 are kept: the high half of ll and the low 33 bits of hh. x is the mix of the order
    // the head's register selects; orders beyond MAX_N are clamped to the largest, so a bad write cannot
    // select a missing mix (a mux over constant slices, no variable part-select).
    logic [31:0] pp_ll_q;
    logic [63:0] pp_lh_q, pp_hl_q;
    logic [32:0] pp_hh_q, x_s4_q;
    always_ff @(posedge clk_i) begin
      if (en_pp_i) begin
        logic [63:0] x;
        logic [63:0] mu;
        x = mix_i[(MAX_N-2)*64 +: 64];
        for (int unsigned o = 0; o + 2 < MAX_N; o++) begin
          if (32'(order_i[h*32 +: 8]) == o) x = mix_i[o*64 +: 64];
        end
        mu = mu_i[h*64 +: 64];
        pp_ll_q <= 32'((64'(x[31:0]) * 64'(mu[31:0])) >> 32);
        pp_lh_q <= 64'(x[31:0])  * 64'(mu[63:32]);
        pp_hl_q <= 64'(x[63:32]) * 64'(mu[31:0]);
        pp_hh_q <= 33'(64'(x[63:32]) * 64'(mu[63:32]));
        x_s4_q  <= x[32:0];
      end
    end

    // Stage 5: q mod 2^33 = (hh + lh[63:32] + hl[63:32] + carry out of the middle column) mod 2^33,
    // where the middle column is ll[63:32] + lh[31:0] + hl[31:0].
    logic [32:0] q_s5_q, x_s5_q;
    always_ff @(posedge clk_i) begin
      if (en_q_i) begin
        logic [1:0] carry;
        carry  = 2'((34'(pp_ll_q) + 34'(pp_lh_q[31:0]) + 34'(pp_hl_q[31:0])) >> 32);
        q_s5_q <= pp_hh_q + 33'(pp_lh_q[63:32]) + 33'(pp_hl_q[63:32]) + 33'(carry);
        x_s5_q <= x_s4_q;
      end
    end

    // Stage 6: r0 = x - q*p in [0, 2p), computed mod 2^33. The primes are static configuration, so p
    // needs no pipeline copy (reconfiguring while tokens are in flight is not supported).
    logic [32:0] r0_s6_q;
    always_ff @(posedge clk_i) begin
      if (en_r0_i) r0_s6_q <= x_s5_q - 33'(q_s5_q * 33'(p_i[h*32 +: 32]));
    end

    // Stage 7: the one conditional subtraction.
    always_ff @(posedge clk_i) begin
      if (en_r_i) begin
        r_o[h*32 +: 32] <= r0_s6_q >= 33'(p_i[h*32 +: 32]) ? 32'(r0_s6_q - 33'(p_i[h*32 +: 32])) : r0_s6_q[31:0];
      end
    end
  end
endmodule
