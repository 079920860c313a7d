// Request issue: turns each token's head addresses into read requests spread over the memory ports.
// Requests leave in spec order (orders 2..N, heads 0..H-1) as one flat stream that may cross a token
// boundary within a cycle: token A is the one being issued, token B (pipeline stage 8) is the next. Each
// cycle the k-th port (counting only ports whose queue can take a push) gets the k-th pending request,
// A's first and then B's, so the unit sustains min(1, ports / heads) tokens per cycle at full memory rate.
// A token takes a reassembly-buffer slot when it moves from B to A; the tag of a request is
// {slot, head position}. B issues at most heads-1 requests in the cycle it moves, so it never retires
// in the same cycle and A always holds the token being issued.
module engram_hg_issue #(
  parameter int unsigned NHEAD = 16,
  parameter int unsigned PORTS = 4,
  parameter int unsigned DEPTH = 16,
  parameter int unsigned POS_W = 4,
  parameter int unsigned SLOT_W = 4
) (
  input  logic                                 clk_i,
  input  logic                                 rst_ni,
  input  logic [$clog2(NHEAD+1)-1:0]           active_heads_i,
  input  logic [$clog2(PORTS+1)-1:0]           active_ports_i,
  // Token B: pipeline stage 8.
  input  logic                                 b_valid_i,
  input  logic [NHEAD*64-1:0]                  b_addr_i,
  output logic                                 b_move_o,
  output logic [SLOT_W-1:0]                    alloc_slot_o,
  // A slot was freed by the reassembly buffer this cycle.
  input  logic                                 slot_free_i,
  output logic [SLOT_W:0]                      used_o,
  output logic                                 a_valid_o,
  // Memory request ports.
  output logic [PORTS-1:0]                     req_valid_o,
  input  logic [PORTS-1:0]                     req_ready_i,
  output logic [PORTS*64-1:0]                  req_addr_o,
  output logic [PORTS*(SLOT_W+POS_W)-1:0]      req_tag_o
);
  localparam int unsigned CNT_W  = $clog2(NHEAD + 1);
  localparam int unsigned RANK_W = $clog2(PORTS + 1);
  localparam int unsigned TAG_W  = SLOT_W + POS_W;

  logic               a_valid_q;
  logic [CNT_W-1:0]   a_pos_q;
  logic [SLOT_W-1:0]  a_slot_q;
  logic [63:0]        a_addr_q [2**POS_W];
  logic [SLOT_W-1:0]  alloc_q;
  logic [SLOT_W:0]    used_q;

  logic [PORTS-1:0]   can_push;
  logic [CNT_W-1:0]   k_a, k_b;
  logic               a_done;
  logic [PORTS-1:0]   push;
  logic [63:0]        push_addr [PORTS];
  logic [TAG_W-1:0]   push_tag [PORTS];

  // B issues at most one request per port in the cycle it moves, and its positions start at 0, so B's
  // address comes from one of its first PORTS positions: a mux over those constant slices (below) instead
  // of a variable part-select of the whole NHEAD*64-bit bus.
  localparam int unsigned BSEL = PORTS < NHEAD ? PORTS : NHEAD;

  // Which ports take a request this cycle and what each gets. Depends on flops only. The port masks are
  // whole-vector operations and the per-port intermediates are local to the process, which keeps the
  // simulator's per-cycle work small (rtl/README.md, "Simulation").
  always_comb begin
    logic [PORTS:0]    port_lim;
    logic [PORTS-1:0]  loadable;
    logic [PORTS-1:0]  take;
    logic [RANK_W-1:0] rank [PORTS];
    logic [RANK_W-1:0] count;
    logic [CNT_W-1:0]  rem_a, spare;
    logic              slot_avail;
    // Ports below ACTIVE_PORTS whose queue can take a push; rank[p] counts the loadable ports below p.
    port_lim = (PORTS+1)'(1) << active_ports_i;
    loadable = can_push & PORTS'(port_lim - (PORTS+1)'(1));
    count = '0;
    for (int unsigned p = 0; p < PORTS; p++) begin
      rank[p] = count;
      count = count + RANK_W'(loadable[p]);
    end

    rem_a  = a_valid_q ? active_heads_i - a_pos_q : '0;
    k_a    = 32'(count) < 32'(rem_a) ? CNT_W'(count) : rem_a;
    a_done = a_valid_q && k_a == rem_a;
    slot_avail = 32'(used_q) < 32'(DEPTH);
    b_move_o = b_valid_i && slot_avail && (!a_valid_q || a_done);
    spare = CNT_W'(count) - k_a;
    k_b = !b_move_o ? '0 : (spare < active_heads_i - CNT_W'(1) ? spare : active_heads_i - CNT_W'(1));

    take = '0;
    for (int unsigned p = 0; p < PORTS; p++) begin
      logic              from_a;
      logic [POS_W-1:0]  pos_idx;
      logic [SLOT_W-1:0] slot;
      logic [63:0]       b_at;
      from_a  = 32'(rank[p]) < 32'(k_a);
      pos_idx = from_a ? POS_W'(a_pos_q + CNT_W'(rank[p])) : POS_W'(CNT_W'(rank[p]) - k_a);
      slot    = from_a ? a_slot_q : alloc_q;
      take[p] = 32'(rank[p]) < 32'(k_a) + 32'(k_b);
      b_at    = b_addr_i[63:0];
      for (int unsigned k = 1; k < BSEL; k++) begin
        if (32'(pos_idx) == k) b_at = b_addr_i[k*64 +: 64];
      end
      push_tag[p]  = {slot, pos_idx};
      push_addr[p] = from_a ? a_addr_q[pos_idx] : b_at;
    end
    push = loadable & take;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      a_valid_q <= 1'b0;
      a_pos_q   <= '0;
      a_slot_q  <= '0;
      alloc_q   <= '0;
      used_q    <= '0;
    end else begin
      if (b_move_o) begin
        a_valid_q <= 1'b1;
        a_pos_q   <= k_b;
        a_slot_q  <= alloc_q;
        alloc_q   <= alloc_q + SLOT_W'(1);
      end else if (a_done) begin
        a_valid_q <= 1'b0;
      end else begin
        a_pos_q <= a_pos_q + k_a;
      end
      used_q <= used_q + (SLOT_W+1)'(b_move_o) - (SLOT_W+1)'(slot_free_i);
    end
  end

  // Token A's addresses are a copy of stage 8 taken when the token moves (no reset: a_valid_q qualifies).
  always_ff @(posedge clk_i) begin
    if (b_move_o) begin
      for (int unsigned h = 0; h < NHEAD; h++) a_addr_q[h] <= b_addr_i[h*64 +: 64];
    end
  end

  for (genvar p = 0; p < PORTS; p++) begin : g_port
    engram_hg_port_fifo #(
      .TAG_W(TAG_W)
    ) u_fifo (
      .clk_i,
      .rst_ni,
      .push_i    (push[p]),
      .addr_i    (push_addr[p]),
      .tag_i     (push_tag[p]),
      .can_push_o(can_push[p]),
      .valid_o   (req_valid_o[p]),
      .ready_i   (req_ready_i[p]),
      .addr_o    (req_addr_o[p*64 +: 64]),
      .tag_o     (req_tag_o[p*TAG_W +: TAG_W])
    );
  end

  assign alloc_slot_o = alloc_q;
  assign used_o       = used_q;
  assign a_valid_o    = a_valid_q;
endmodule
