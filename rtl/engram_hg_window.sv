// Stage 1 of the hash pipeline: the n-gram window of engram-spec.md §3.2. History registers hold the
// last MAX_N-1 compressed ids; a first-of-sequence token (or the first token after reset) sees pad'
// in every earlier slot, as each row is padded independently at its own start.
module engram_hg_window #(
  parameter int unsigned MAX_N   = 3,
  parameter int unsigned ID_BITS = 17
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // Token accepted this cycle (in_valid && in_ready).
  input  logic                     accept_i,
  input  logic [ID_BITS-1:0]       id_i,
  input  logic                     first_i,
  input  logic [ID_BITS-1:0]       pad_i,
  // win_o[k] is the id k positions back: x'_t, x'_{t-1}, ..., x'_{t-MAX_N+1}.
  output logic [MAX_N*ID_BITS-1:0] win_o
);
  // Slot j of hist_q is the id j+1 positions before the next token, j = 0..MAX_N-2. Both registers are
  // flat vectors (slot k at [k*ID_BITS +: ID_BITS]), and win_q is the output itself: the simulator updates
  // them in place and copies nothing per cycle.
  logic [(MAX_N-1)*ID_BITS-1:0] hist_q;
  logic [MAX_N*ID_BITS-1:0]     win_q;
  // Cleared by reset: the first token after reset restarts the history even without first_i.
  logic                         open_q;
  logic                         restart;

  assign restart = first_i || !open_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      open_q <= 1'b0;
      hist_q <= '0;
    end else if (accept_i) begin
      open_q    <= 1'b1;
      hist_q[0 +: ID_BITS] <= id_i;
      for (int unsigned j = 1; j < MAX_N - 1; j++) begin
        hist_q[j*ID_BITS +: ID_BITS] <= restart ? pad_i : hist_q[(j-1)*ID_BITS +: ID_BITS];
      end
    end
  end

  // Window data needs no reset: it is qualified by the stage-1 valid bit in the top level.
  always_ff @(posedge clk_i) begin
    if (accept_i) begin
      win_q[0 +: ID_BITS] <= id_i;
      for (int unsigned k = 1; k < MAX_N; k++) begin
        win_q[k*ID_BITS +: ID_BITS] <= restart ? pad_i : hist_q[(k-1)*ID_BITS +: ID_BITS];
      end
    end
  end

  assign win_o = win_q;
endmodule
