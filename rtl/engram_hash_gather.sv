// Engram hash/gather unit: turns a stream of compressed token ids into Engram table row reads and one
// gathered embedding vector per token (engram-spec.md §3-§4; rtl/README.md has the block diagram, the
// register map and the per-stage latency). Pipeline:
//   1 window (history, pad' on restart)  2 products x'_{t-k} * m_k  3 per-order XOR mix
//   4-7 per-head Barrett modulo  8 row address  -> issue over PORTS memory ports -> reassembly -> output.
// The hash stages take one token per cycle; the unit sustains min(1, ports / heads) tokens per cycle when
// memory answers at full rate. Compressed ids are unsigned ID_BITS-bit values (negative ids are outside
// the domain).
module engram_hash_gather #(
  // Largest n-gram order N; orders 2..MAX_N are hashed.
  parameter int unsigned MAX_N     = 3,
  // Heads per order.
  parameter int unsigned HEADS     = 8,
  // Width of a compressed token id (V' <= 2^ID_BITS).
  parameter int unsigned ID_BITS   = 17,
  // Largest row pitch in bytes the address generator supports (sizes the row_bytes register).
  parameter int unsigned ROW_BYTES = 1024,
  // Bits a memory port returns per request: the gathered data of one head.
  parameter int unsigned DATA_W    = 64,
  // Memory request/response ports.
  parameter int unsigned PORTS     = 4,
  // Reassembly buffer depth in tokens (a power of two).
  parameter int unsigned DEPTH     = 16
) (
  input  logic                                                            clk_i,
  // Synchronous, active low; keeps the table configuration (rtl/README.md, "Interfaces").
  input  logic                                                            rst_ni,
  // Configuration bus: writes take effect next cycle, read data is valid the cycle after cfg_re_i.
  input  logic                                                            cfg_we_i,
  input  logic                                                            cfg_re_i,
  input  logic [11:0]                                                     cfg_addr_i,
  input  logic [31:0]                                                     cfg_wdata_i,
  output logic [31:0]                                                     cfg_rdata_o,
  // Compressed token stream.
  input  logic                                                            in_valid_i,
  output logic                                                            in_ready_o,
  input  logic [ID_BITS-1:0]                                              in_id_i,
  input  logic                                                            in_first_i,
  // Memory read requests: byte address and tag {slot, head position}.
  output logic [PORTS-1:0]                                                mem_req_valid_o,
  input  logic [PORTS-1:0]                                                mem_req_ready_i,
  output logic [PORTS*64-1:0]                                             mem_req_addr_o,
  output logic [PORTS*($clog2(DEPTH)+$clog2((MAX_N-1)*HEADS))-1:0]        mem_req_tag_o,
  // Memory read responses, in any order; always accepted (slots are reserved before requests issue).
  input  logic [PORTS-1:0]                                                mem_rsp_valid_i,
  output logic [PORTS-1:0]                                                mem_rsp_ready_o,
  input  logic [PORTS*($clog2(DEPTH)+$clog2((MAX_N-1)*HEADS))-1:0]        mem_rsp_tag_i,
  input  logic [PORTS*DATA_W-1:0]                                         mem_rsp_data_i,
  // One gathered vector per token: head h (spec order) in bits [h*DATA_W +: DATA_W], index alongside.
  output logic                                                            vec_valid_o,
  input  logic                                                            vec_ready_i,
  output logic [(MAX_N-1)*HEADS*DATA_W-1:0]                               vec_data_o,
  output logic [(MAX_N-1)*HEADS*32-1:0]                                   vec_index_o
);
  localparam int unsigned NHEAD   = (MAX_N - 1) * HEADS;
  localparam int unsigned POS_W   = $clog2(NHEAD);
  localparam int unsigned SLOT_W  = $clog2(DEPTH);
  localparam int unsigned CNT_W   = $clog2(NHEAD + 1);
  localparam int unsigned PCNT_W  = $clog2(PORTS + 1);
  localparam int unsigned PITCH_W = $clog2(ROW_BYTES + 1);
  localparam int unsigned STAGES  = 8;

  if (MAX_N < 2) begin : g_bad_max_n
    $error("MAX_N must be at least 2 (orders 2..MAX_N are hashed)");
  end
  if (NHEAD < 2) begin : g_bad_heads
    $error("(MAX_N-1)*HEADS must be at least 2 (the head position needs a tag bit)");
  end
  if (DEPTH < 2 || (DEPTH & (DEPTH - 1)) != 0) begin : g_bad_depth
    $error("DEPTH must be a power of two, at least 2");
  end
  if (ID_BITS > 32) begin : g_bad_id_bits
    $error("ID_BITS must be at most 32");
  end

  // Configuration.
  logic [CNT_W-1:0]        active_heads;
  logic [PCNT_W-1:0]       active_ports;
  logic [2**POS_W-1:0]     active_mask;
  logic [ID_BITS-1:0]      pad;
  logic [PITCH_W-1:0]      row_bytes;
  logic [63:0]             table_base;
  logic [MAX_N*64-1:0]     mult;
  logic [NHEAD*32-1:0]     prime;
  logic [NHEAD*64-1:0]     mu;
  logic [NHEAD*64-1:0]     row_off;
  logic [NHEAD*32-1:0]     order;
  logic [31:0]             status;

  engram_hg_cfg_regs #(
    .MAX_N    (MAX_N),
    .HEADS    (HEADS),
    .ID_BITS  (ID_BITS),
    .ROW_BYTES(ROW_BYTES),
    .DATA_W   (DATA_W),
    .PORTS    (PORTS),
    .DEPTH    (DEPTH)
  ) u_cfg (
    .clk_i,
    .rst_ni,
    .cfg_we_i,
    .cfg_re_i,
    .cfg_addr_i,
    .cfg_wdata_i,
    .cfg_rdata_o,
    .status_i      (status),
    .active_heads_o(active_heads),
    .active_ports_o(active_ports),
    .active_mask_o (active_mask),
    .pad_o         (pad),
    .row_bytes_o   (row_bytes),
    .table_base_o  (table_base),
    .mult_o        (mult),
    .prime_o       (prime),
    .mu_o          (mu),
    .row_off_o     (row_off),
    .order_o       (order)
  );

  // Pipeline control: stage i holds a token when valid_q[i]; it can load when it is empty or its token
  // moves on (a bubble-collapsing pipeline). ready[STAGES+1] is "stage 8 moves into issue". The chain is
  // a suffix OR: ready[i] is high when some stage j >= i is empty or B moves. It is written as whole-vector
  // operations (a log-depth OR smear) rather than a loop over single bits, which is cheaper to simulate.
  logic [STAGES:1]   valid_q;
  logic [STAGES+1:1] ready;
  logic [STAGES:1]   en;
  logic              b_move;

  always_comb begin
    logic [STAGES+1:1] free;
    free  = {b_move, ~valid_q};
    ready = free;
    for (int unsigned s = 1; s <= STAGES; s = s * 2) ready = ready | (ready >> s);
  end
  assign in_ready_o = ready[1];
  // Stage 1's enable is the only one that depends on an input; computed apart, the others are evaluated
  // once per clock edge rather than again whenever an input changes.
  assign en[1] = in_valid_i & ready[1];
  assign en[STAGES:2] = valid_q[STAGES-1:1] & ready[STAGES:2];

  // Stage i takes stage i-1's valid bit whenever it can load.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else begin
      valid_q <= (ready[STAGES:1] & {valid_q[STAGES-1:1], in_valid_i}) | (~ready[STAGES:1] & valid_q);
    end
  end

  // Stage 1: window.
  logic [MAX_N*ID_BITS-1:0] win;
  engram_hg_window #(
    .MAX_N  (MAX_N),
    .ID_BITS(ID_BITS)
  ) u_window (
    .clk_i,
    .rst_ni,
    .accept_i(en[1]),
    .id_i    (in_id_i),
    .first_i (in_first_i),
    .pad_i   (pad),
    .win_o   (win)
  );

  // Stages 2-3: products and mixes.
  logic [(MAX_N-1)*64-1:0] mix;
  engram_hg_mix #(
    .MAX_N  (MAX_N),
    .ID_BITS(ID_BITS)
  ) u_mix (
    .clk_i,
    .en_prod_i(en[2]),
    .en_mix_i (en[3]),
    .win_i    (win),
    .mult_i   (mult),
    .mix_o    (mix)
  );

  // Stages 4-8, every head position: reduce the head's order's mix mod its prime, form the row address.
  logic [NHEAD*32-1:0] r;
  engram_hg_mod #(
    .MAX_N(MAX_N),
    .NHEAD(NHEAD)
  ) u_mod (
    .clk_i,
    .en_pp_i(en[4]),
    .en_q_i (en[5]),
    .en_r0_i(en[6]),
    .en_r_i (en[7]),
    .mix_i  (mix),
    .order_i(order),
    .mu_i   (mu),
    .p_i    (prime),
    .r_o    (r)
  );

  logic [NHEAD*64-1:0] b_addr;
  logic [NHEAD*32-1:0] b_idx;
  engram_hg_addr #(
    .NHEAD  (NHEAD),
    .PITCH_W(PITCH_W)
  ) u_addr (
    .clk_i,
    .en_i       (en[8]),
    .idx_i      (r),
    .row_off_i  (row_off),
    .base_i     (table_base),
    .row_bytes_i(row_bytes),
    .addr_o     (b_addr),
    .idx_o      (b_idx)
  );

  // Issue over the memory ports.
  logic [SLOT_W-1:0] alloc_slot;
  logic              slot_free;
  logic [SLOT_W:0]   used;
  logic              a_valid;
  engram_hg_issue #(
    .NHEAD (NHEAD),
    .PORTS (PORTS),
    .DEPTH (DEPTH),
    .POS_W (POS_W),
    .SLOT_W(SLOT_W)
  ) u_issue (
    .clk_i,
    .rst_ni,
    .active_heads_i(active_heads),
    .active_ports_i(active_ports),
    .b_valid_i     (valid_q[STAGES]),
    .b_addr_i      (b_addr),
    .b_move_o      (b_move),
    .alloc_slot_o  (alloc_slot),
    .slot_free_i   (slot_free),
    .used_o        (used),
    .a_valid_o     (a_valid),
    .req_valid_o   (mem_req_valid_o),
    .req_ready_i   (mem_req_ready_i),
    .req_addr_o    (mem_req_addr_o),
    .req_tag_o     (mem_req_tag_o)
  );

  // Response collection and reassembly.
  logic reorder_busy;
  engram_hg_reorder #(
    .NHEAD (NHEAD),
    .PORTS (PORTS),
    .DEPTH (DEPTH),
    .DATA_W(DATA_W),
    .POS_W (POS_W),
    .SLOT_W(SLOT_W)
  ) u_reorder (
    .clk_i,
    .rst_ni,
    .active_heads_i(active_heads),
    .active_mask_i (active_mask),
    .alloc_i       (b_move),
    .alloc_slot_i  (alloc_slot),
    .alloc_idx_i   (b_idx),
    .slot_free_o   (slot_free),
    .rsp_valid_i   (mem_rsp_valid_i),
    .rsp_tag_i     (mem_rsp_tag_i),
    .rsp_data_i    (mem_rsp_data_i),
    .vec_valid_o,
    .vec_ready_i,
    .vec_data_o,
    .vec_index_o,
    .busy_o        (reorder_busy)
  );

  assign mem_rsp_ready_o = '1;

  // STATUS: bit 31 busy (any token inside the unit), bits 15:0 reassembly slots in use.
  logic busy;
  assign busy   = |valid_q || a_valid || |mem_req_valid_o || used != '0 || reorder_busy;
  assign status = {busy, 15'd0, 16'(used)};
endmodule
