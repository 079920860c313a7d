// The DRAM path of src/memory ported line by line to C++, for `npm run bench memory` only: the TypeScript
// engine (runEngine), TraceDriver in timed mode without a window, DramDevice's single-burst issue and tick,
// ChannelController, TimingTables, RefreshSchedule, RequestTable and CompletionFifo, with the same data
// layout, the same order of operations and the same tie rules, so a run gives the same completion cycles,
// engine steps and statistics as the TypeScript model (the bench checks cycles, mean latency, engine steps,
// activates and refused issues). Not covered: duplicate merging, multi-burst requests, writes from the
// trace, windows and batches, address decoding (the bench decodes with AddressDecoder and passes fields).
// It answers one question: what the same algorithm costs compiled, natively, against V8 (the README's
// speed section), natively and as WebAssembly. Builds (the bench does both itself): g++ -O2 -std=c++17 dramPort.cpp
// -o dramPort; em++ -O3 -std=c++17 -sENVIRONMENT=node -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 dramPort.cpp -o dramPort.js.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>
#include <vector>

static const double INF = INFINITY;
enum { ACT = 0, PRE = 1, RD = 2, WR = 3, NONE = 4 };
enum { CLASS_NONE = 0, CLASS_ROW = 1, CLASS_COL = 2 };
static const int NIL = -1, CLOSED = -1;

struct Preset {
  int channels, ranks, bankGroups, banksPerGroup, actCycles, casCycles, split, queueDepth, rowHitCap, closedPage, refreshScheme;
  double tRcd, tRcdWr, tCl, tCwl, tRp, tRas, tRc, tCcdS, tCcdL, tCcdLWr, tRrdS, tRrdL, tFaw, tWtrS, tWtrL, tRtp, tWr, tRtrs, tRtw, burstCycles, tRefi, tRfc;
};

struct Sink {
  std::vector<double> ids, cycles;
  void complete(double id, double c) { ids.push_back(id); cycles.push_back(c); }
};

struct RequestTable {
  std::vector<double> id;
  std::vector<int> remaining, freeList;
  int outstanding = 0;
  int alloc(double rid, int bursts) {
    if (freeList.empty()) grow();
    int s = freeList.back(); freeList.pop_back();
    id[s] = rid; remaining[s] = bursts; outstanding++;
    return s;
  }
  void burstDone(int slot, double cycle, Sink& sink) {
    if (--remaining[slot] == 0) { sink.complete(id[slot], cycle); freeList.push_back(slot); outstanding--; }
  }
  void grow() {
    size_t old = id.size(), next = old == 0 ? 256 : old * 2;
    id.resize(next); remaining.resize(next);
    for (size_t s = next; s-- > old;) freeList.push_back((int)s);
  }
};

struct Fifo {
  std::vector<int> slots = std::vector<int>(64);
  std::vector<double> cycles = std::vector<double>(64);
  int head = 0, size = 0;
  double headCycle = INF;
  void push(int slot, double c) {
    if (size == (int)slots.size()) grow();
    int at = (head + size) & ((int)slots.size() - 1);
    slots[at] = slot; cycles[at] = c;
    if (size++ == 0) headCycle = c;
  }
  int shift() {
    int slot = slots[head];
    head = (head + 1) & ((int)slots.size() - 1);
    headCycle = --size == 0 ? INF : cycles[head];
    return slot;
  }
  void grow() {
    int n = slots.size();
    std::vector<int> s(n * 2); std::vector<double> c(n * 2);
    for (int i = 0; i < n; i++) { s[i] = slots[(head + i) & (n - 1)]; c[i] = cycles[(head + i) & (n - 1)]; }
    slots.swap(s); cycles.swap(c); head = 0;
  }
};

struct Timing {
  const Preset& p;
  std::vector<double> bankNext, groupNext, rankNext, cmdOff, fawRing, actGate;
  std::vector<int> groupOff, rankOff, fawPos;
  int noGate;
  double rowBusFree = 0, colBusFree = 0, sameRankGap;
  explicit Timing(const Preset& p) : p(p) {
    int bpr = p.bankGroups * p.banksPerGroup, nb = p.ranks * bpr;
    bankNext.assign(nb * 4, 0); groupNext.assign(p.ranks * p.bankGroups * 4, 0); rankNext.assign(p.ranks * 4, 0);
    cmdOff = {double(p.actCycles - 1), 0, double(p.casCycles - 1), double(p.casCycles - 1)};
    for (int b = 0; b < nb; b++) { groupOff.push_back(b / p.banksPerGroup * 4); rankOff.push_back(b / bpr * 4); }
    fawRing.assign(p.ranks * 4, -INF); fawPos.assign(p.ranks, 0);
    noGate = p.ranks * p.bankGroups;
    actGate.assign(noGate + 1, -(double)(p.actCycles - 1)); actGate[noGate] = -INF;
    sameRankGap = std::max(p.tCcdS, p.burstCycles);
  }
  double readyCycle(int cmd, int b) const {
    double ready = bankNext[b * 4 + cmd];
    double g = groupNext[groupOff[b] + cmd]; if (g > ready) ready = g;
    double r = rankNext[rankOff[b] + cmd]; if (r > ready) ready = r;
    ready -= cmdOff[cmd];
    double bus = cmd >= RD ? colBusFree : rowBusFree;
    return bus > ready ? bus : ready;
  }
  void onActivate(int b, double now) {
    int b4 = b * 4, g4 = groupOff[b], r4 = rankOff[b], r = r4 >> 2;
    double te = now + p.actCycles - 1;
    bankNext[b4 + RD] = std::max(bankNext[b4 + RD], te + p.tRcd);
    bankNext[b4 + WR] = std::max(bankNext[b4 + WR], te + p.tRcdWr);
    bankNext[b4 + PRE] = std::max(bankNext[b4 + PRE], te + p.tRas);
    bankNext[b4 + ACT] = std::max(bankNext[b4 + ACT], te + p.tRc);
    groupNext[g4 + ACT] = std::max(groupNext[g4 + ACT], te + p.tRrdL);
    double rankAct = std::max(rankNext[r4 + ACT], te + p.tRrdS);
    int pos = fawPos[r];
    fawRing[r4 + pos] = te;
    double oldest = fawRing[r4 + ((pos + 1) & 3)];
    fawPos[r] = (pos + 1) & 3;
    if (oldest + p.tFaw > rankAct) rankAct = oldest + p.tFaw;
    rankNext[r4 + ACT] = rankAct;
    double off = p.actCycles - 1;
    for (int g = r * p.bankGroups, end = g + p.bankGroups; g < end; g++) {
      double gAct = groupNext[g * 4 + ACT];
      actGate[g] = (gAct > rankAct ? gAct : rankAct) - off;
    }
    takeRowBus(now, p.actCycles);
  }
  void onPrecharge(int b, double now) { closeAt(b, now); takeRowBus(now, 1); }
  double onRead(int b, double now) {
    double te = now + p.casCycles - 1, nBl = p.burstCycles;
    int b4 = b * 4, g4 = groupOff[b], r = rankOff[b] >> 2;
    bankNext[b4 + PRE] = std::max(bankNext[b4 + PRE], te + p.tRtp);
    groupNext[g4 + RD] = std::max(groupNext[g4 + RD], te + p.tCcdL);
    for (int q = 0; q < p.ranks; q++) {
      double other = q == r ? 0 : p.tRtrs;
      rankNext[q * 4 + RD] = std::max(rankNext[q * 4 + RD], te + (q == r ? sameRankGap : nBl + other));
      rankNext[q * 4 + WR] = std::max(rankNext[q * 4 + WR], te + p.tCl + nBl + p.tRtw + other - p.tCwl);
    }
    takeColumnBus(now);
    return te + p.tCl + nBl;
  }
  double onWrite(int b, double now) {
    double te = now + p.casCycles - 1, nBl = p.burstCycles;
    int b4 = b * 4, g4 = groupOff[b], r = rankOff[b] >> 2;
    bankNext[b4 + PRE] = std::max(bankNext[b4 + PRE], te + p.tCwl + nBl + p.tWr);
    groupNext[g4 + WR] = std::max(groupNext[g4 + WR], te + p.tCcdLWr);
    groupNext[g4 + RD] = std::max(groupNext[g4 + RD], te + p.tCwl + nBl + p.tWtrL);
    for (int q = 0; q < p.ranks; q++) {
      if (q == r) {
        rankNext[q * 4 + WR] = std::max(rankNext[q * 4 + WR], te + sameRankGap);
        rankNext[q * 4 + RD] = std::max(rankNext[q * 4 + RD], te + p.tCwl + nBl + p.tWtrS);
      } else {
        rankNext[q * 4 + WR] = std::max(rankNext[q * 4 + WR], te + nBl + p.tRtrs);
        rankNext[q * 4 + RD] = std::max(rankNext[q * 4 + RD], te + p.tCwl + nBl + p.tRtrs - p.tCl);
      }
    }
    takeColumnBus(now);
    return te + p.tCwl + nBl;
  }
  void onAutoPrecharge(int b) { closeAt(b, bankNext[b * 4 + PRE]); }
  void closeAt(int b, double c) { bankNext[b * 4 + ACT] = std::max(bankNext[b * 4 + ACT], c + p.tRp); }
  void holdUntil(int b, double c) { bankNext[b * 4 + ACT] = std::max(bankNext[b * 4 + ACT], c); }
  void takeRowBus(double now, int cycles) { rowBusFree = now + cycles; if (!p.split) colBusFree = rowBusFree; }
  void takeColumnBus(double now) { colBusFree = now + p.casCycles; if (!p.split) rowBusFree = colBusFree; }
};

struct Channel;

struct Refresh {
  double nextReady = INF; int nextReadyRank = -1;
  std::vector<std::vector<int>> slices;
  int banksPerRank, pendingCount = 0;
  std::vector<double> due; std::vector<uint8_t> pending, done, blocked; std::vector<int> slice, leftInRound;
  double interval, tRfc, nextStart = 0;
  Refresh(const Preset& p, int ch) {
    banksPerRank = p.bankGroups * p.banksPerGroup;
    if (p.refreshScheme == 0) { std::vector<int> s; for (int b = 0; b < banksPerRank; b++) s.push_back(b); slices.push_back(s); }
    else if (p.refreshScheme == 1) for (int b = 0; b < banksPerRank; b++) slices.push_back({b});
    else for (int k = 0; k < p.banksPerGroup; k++) { std::vector<int> s; for (int g = 0; g < p.bankGroups; g++) s.push_back(g * p.banksPerGroup + k); slices.push_back(s); }
    interval = std::floor(p.tRefi / slices.size()); tRfc = p.tRfc;
    due.assign(p.ranks, 0); pending.assign(p.ranks, 0); slice.assign(p.ranks, 0); done.assign(p.ranks * slices.size(), 0);
    leftInRound.assign(p.ranks, slices.size()); blocked.assign(p.ranks * banksPerRank, 0);
    int units = p.channels * p.ranks;
    for (int r = 0; r < p.ranks; r++) due[r] = interval + std::floor(interval * (ch * p.ranks + r) / units);
    updateNextStart();
  }
  bool anyPending() const { return pendingCount > 0; }
  void updateNextStart() { double n = INF; for (size_t r = 0; r < due.size(); r++) if (!pending[r] && due[r] < n) n = due[r]; nextStart = n; }
  void startDue(double now, Channel& ch);
  int readyRank(double now, double rowBusFree, Channel& ch);
  void issue(int r, double now, Channel& ch);
  void catchUp(double now, Channel& ch);
  double sliceReady(int r, double rowBusFree, Channel& ch);
  void advance(int r, int steps) {
    int n = slices.size();
    done[r * n + slice[r]] = 1;
    if (--leftInRound[r] == 0) { std::fill(done.begin() + r * n, done.begin() + (r + 1) * n, 0); leftInRound[r] = n; }
    due[r] += steps * interval;
  }
  int pickSlice(int r, Channel& ch);
};

struct Channel {
  double nextEvent = INF; int queued = 0;
  long refreshes = 0, activates = 0, precharges = 0, readBursts = 0, writeBursts = 0, rowHits = 0, rowMisses = 0, rowConflicts = 0;
  Timing timing; Refresh refresh; Fifo readsDone, writesDone; bool closedPage, split; int rowHitCap; RequestTable& table;
  std::vector<int> burstParent, burstRow, freeSlots; std::vector<double> burstSeq, burstKey, burstDoneCycle; std::vector<uint8_t> burstWrite;
  double seqCounter = 0;
  std::vector<int> ring; int ringShift = 3, ringMask = 7; std::vector<int> ringHead, ringCount;
  std::vector<int> openRow, columnsSinceAct, hitStreak; std::vector<uint8_t> openedForConflict;
  std::vector<uint8_t> candCmd, candClass; std::vector<int> candSlot, candOff, listPos, rowList, colList, gateOfBank, dirtyList; std::vector<double> candSeq, rowKeys;
  std::vector<uint8_t> dirty; int rowCount = 0, colCount = 0, dirtyCount = 0;
  int colBank = NIL; double colReady = INF, colSeq = INF; int rowBank = NIL; double rowReady = INF, rowSeqBest = INF;
  bool planStale = true; double planAt = INF; int planRefRank = -1; double planRefReady = INF;

  Channel(const Preset& p, int index, RequestTable& t) : timing(p), refresh(p, index), table(t) {
    int nb = p.ranks * p.bankGroups * p.banksPerGroup;
    closedPage = p.closedPage; split = p.split; rowHitCap = p.rowHitCap;
    ring.assign(nb << 3, 0); ringHead.assign(nb, 0); ringCount.assign(nb, 0);
    openRow.assign(nb, CLOSED); columnsSinceAct.assign(nb, 0); hitStreak.assign(nb, 0); openedForConflict.assign(nb, 0);
    candCmd.assign(nb, NONE); candSlot.assign(nb, NIL); candOff.assign(nb, 0); candSeq.assign(nb, 0); candClass.assign(nb, 0);
    listPos.assign(nb, 0); rowList.assign(nb, 0); rowKeys.assign(nb * 4, 0); colList.assign(nb, 0);
    for (int b = 0; b < nb; b++) gateOfBank.push_back(timing.groupOff[b] >> 2);
    dirty.assign(nb, 0); dirtyList.assign(nb, 0);
    growSlots(64);
  }
  bool enqueue(int parent, int bank, int row, bool isWrite, double key, double now) {
    if (queued == 0 && !refresh.anyPending()) { refresh.catchUp(now, *this); planStale = true; }
    int s = alloc(parent, row, isWrite, key);
    int cmd = candCmd[bank];
    append(bank, s);
    bool planned = bank == colBank || bank == rowBank;
    if (!planStale && cmd != NONE && dirty[bank] == 0 && refresh.blocked[bank] == 0 && !(cmd == PRE && row == openRow[bank])) {
      if (!planned) return false;
      if (!refresh.anyPending()) { nextEvent = now; return false; }
    }
    if (planned) planStale = true;
    if (planStale) { markDirty(bank); nextEvent = now; return false; }
    fill(bank); offer(bank, now); updatePlanAt(); updateNextEvent();
    return false;
  }
  void tick(double now, Sink& sink) {
    while (readsDone.headCycle <= now) finish(readsDone.shift(), now, sink);
    while (writesDone.headCycle <= now) finish(writesDone.shift(), now, sink);
    if (refresh.nextStart <= now && (queued > 0 || refresh.anyPending())) { refresh.startDue(now, *this); planStale = true; }
    if (planStale) replan(now);
    if (planAt <= now) issueRound(now);
    updateNextEvent();
  }
  void finish(int slot, double now, Sink& sink) { table.burstDone(burstParent[slot], now, sink); freeSlots.push_back(slot); }
  void replan(double now) { planStale = false; flush(); scanColumns(now); scanRows(now); planRefresh(); }
  void issueRound(double now) {
    bool refReady = planRefReady <= now;
    if (!split) {
      if (refReady) issueRefresh(planRefRank, now);
      else if (colReady <= now) issueColumn(colBank, now);
      else if (rowReady <= now) issueRow(rowBank, now);
      replan(now);
      return;
    }
    int cb = colBank, rb = rowBank;
    bool col = colReady <= now;
    if (col) issueColumn(cb, now);
    if (refReady) { issueRefresh(planRefRank, now); replan(now); return; }
    if (rowReady <= now) {
      issueRow(rb, now); scanRows(now);
      if (col) scanColumns(now);
      else if (candClass[rb] == CLASS_COL) offer(rb, now);
    } else {
      scanColumns(now);
      if (candClass[cb] == CLASS_ROW) offer(cb, now);
    }
    if (refresh.anyPending()) planRefresh(); else updatePlanAt();
  }
  void planRefresh() {
    planRefRank = -1; planRefReady = INF;
    if (refresh.anyPending()) { refresh.readyRank(-INF, timing.rowBusFree, *this); planRefRank = refresh.nextReadyRank; planRefReady = refresh.nextReady; }
    updatePlanAt();
  }
  void updatePlanAt() { double rs = planRefReady < rowReady ? planRefReady : rowReady; planAt = colReady < rs ? colReady : rs; }
  void updateNextEvent() {
    double next = planAt;
    if ((queued > 0 || refresh.anyPending()) && refresh.nextStart < next) next = refresh.nextStart;
    if (readsDone.headCycle < next) next = readsDone.headCycle;
    nextEvent = writesDone.headCycle < next ? writesDone.headCycle : next;
  }
  void flush() { for (int i = 0; i < dirtyCount; i++) { int b = dirtyList[i]; dirty[b] = 0; fill(b); } dirtyCount = 0; }
  void fill(int b) {
    int open = openRow[b], count = ringCount[b], cmd;
    if (refresh.blocked[b] == 1) { cmd = open == CLOSED ? NONE : PRE; candSeq[b] = -1; }
    else if (count == 0) cmd = NONE;
    else {
      int base = b << ringShift, head = ringHead[b], mask = ringMask;
      int slot = ring[base + head], off = 0;
      if (open == CLOSED) cmd = ACT;
      else {
        int i = 0;
        while (i < count && burstRow[ring[base + ((head + i) & mask)]] != open) i++;
        if (i < count && (i == 0 || hitStreak[b] < rowHitCap)) { slot = ring[base + ((head + i) & mask)]; off = i; cmd = burstWrite[slot] ? WR : RD; }
        else cmd = PRE;
      }
      candSlot[b] = slot; candOff[b] = off; candSeq[b] = burstSeq[slot];
    }
    candCmd[b] = cmd;
    int cls = cmd == NONE ? CLASS_NONE : cmd >= RD ? CLASS_COL : CLASS_ROW;
    if (candClass[b] != cls) setClass(b, cls);
    if (cls == CLASS_ROW) {
      int at = listPos[b] << 2;
      rowKeys[at] = timing.bankNext[b * 4 + cmd] - timing.cmdOff[cmd];
      rowKeys[at + 1] = cmd == ACT ? gateOfBank[b] : timing.noGate;
      rowKeys[at + 2] = candSeq[b];
    }
  }
  void setClass(int b, int cls) {
    int old = candClass[b];
    if (old == CLASS_ROW) {
      int last = --rowCount, pos = listPos[b], moved = rowList[last];
      rowList[pos] = moved; listPos[moved] = pos;
      rowKeys[pos << 2] = rowKeys[last << 2]; rowKeys[(pos << 2) + 1] = rowKeys[(last << 2) + 1]; rowKeys[(pos << 2) + 2] = rowKeys[(last << 2) + 2];
    } else if (old == CLASS_COL) {
      int last = --colCount, pos = listPos[b], moved = colList[last];
      colList[pos] = moved; listPos[moved] = pos;
    }
    if (cls == CLASS_ROW) { listPos[b] = rowCount; rowList[rowCount++] = b; }
    else if (cls == CLASS_COL) { listPos[b] = colCount; colList[colCount++] = b; }
    candClass[b] = cls;
  }
  void scanColumns(double now) {
    int best = NIL; double bestReady = INF, bestSeq = INF;
    const Timing& t = timing;
    double bus = t.colBusFree > now ? t.colBusFree : now, off = t.p.casCycles - 1;
    for (int i = 0; i < colCount; i++) {
      int b = colList[i], cmd = candCmd[b];
      double ready = t.bankNext[b * 4 + cmd];
      double g = t.groupNext[t.groupOff[b] + cmd]; if (g > ready) ready = g;
      double r = t.rankNext[t.rankOff[b] + cmd]; if (r > ready) ready = r;
      ready -= off;
      if (bus > ready) ready = bus;
      double seq = candSeq[b];
      if (ready < bestReady || (ready == bestReady && seq < bestSeq)) { best = b; bestReady = ready; bestSeq = seq; }
    }
    colBank = best; colReady = bestReady; colSeq = bestSeq;
  }
  void scanRows(double now) {
    int best = -1; double bestReady = INF, bestSeq = INF;
    int end = rowCount << 2;
    const double* keys = rowKeys.data(); const double* gates = timing.actGate.data();
    double bus = timing.rowBusFree > now ? timing.rowBusFree : now;
    for (int at = 0; at < end; at += 4) {
      double ready = keys[at];
      double g = gates[(int)keys[at + 1]]; if (g > ready) ready = g;
      if (bus > ready) ready = bus;
      double seq = keys[at + 2];
      if (ready < bestReady || (ready == bestReady && seq < bestSeq)) { best = at; bestReady = ready; bestSeq = seq; }
    }
    rowBank = best < 0 ? NIL : rowList[best >> 2]; rowReady = bestReady; rowSeqBest = bestSeq;
  }
  void offer(int b, double now) {
    int cmd = candCmd[b];
    if (cmd == NONE) return;
    double r = timing.readyCycle(cmd, b), ready = r > now ? r : now, seq = candSeq[b];
    if (cmd >= RD) { if (ready < colReady || (ready == colReady && seq < colSeq)) { colBank = b; colReady = ready; colSeq = seq; } }
    else if (ready < rowReady || (ready == rowReady && seq < rowSeqBest)) { rowBank = b; rowReady = ready; rowSeqBest = seq; }
  }
  void issueRow(int b, double now) {
    if (candCmd[b] == ACT) {
      openRow[b] = burstRow[candSlot[b]]; columnsSinceAct[b] = 0; hitStreak[b] = 0; timing.onActivate(b, now); activates++;
    } else {
      openRow[b] = CLOSED; openedForConflict[b] = refresh.blocked[b] == 1 ? 0 : 1; timing.onPrecharge(b, now); precharges++;
    }
    rowIssued(b);
  }
  void rowIssued(int b) {
    int cmd = candCmd[b];
    if (cmd == ACT) { candCmd[b] = burstWrite[candSlot[b]] ? WR : RD; setClass(b, CLASS_COL); }
    else if (candSeq[b] >= 0) {
      candCmd[b] = ACT; int pos = listPos[b];
      rowKeys[pos << 2] = timing.bankNext[b * 4 + ACT] - timing.cmdOff[ACT]; rowKeys[(pos << 2) + 1] = gateOfBank[b];
    } else fill(b);
  }
  void issueColumn(int b, double now) {
    int s = candSlot[b]; bool write = burstWrite[s];
    removeAt(b, candOff[b]);
    if (columnsSinceAct[b] == 0) { if (openedForConflict[b]) rowConflicts++; else rowMisses++; } else rowHits++;
    columnsSinceAct[b]++; hitStreak[b]++;
    if (write) { writeBursts++; writesDone.push(s, timing.onWrite(b, now)); }
    else { readBursts++; double d = timing.onRead(b, now); burstDoneCycle[s] = d; readsDone.push(s, d); }
    if (closedPage && !hasHit(b, openRow[b])) { openRow[b] = CLOSED; openedForConflict[b] = 0; timing.onAutoPrecharge(b); precharges++; }
    fill(b);
  }
  void issueRefresh(int rank, double now) { refresh.issue(rank, now, *this); timing.takeRowBus(now, 1); refreshes++; }
  int alloc(int parent, int row, bool isWrite, double key) {
    if (freeSlots.empty()) growSlots(burstParent.size() * 2);
    int s = freeSlots.back(); freeSlots.pop_back();
    burstParent[s] = parent; burstRow[s] = row; burstWrite[s] = isWrite; burstKey[s] = key; burstSeq[s] = seqCounter++; burstDoneCycle[s] = INF;
    return s;
  }
  void append(int b, int s) {
    int count = ringCount[b];
    if (count > ringMask) growRings();
    ring[(b << ringShift) + ((ringHead[b] + count) & ringMask)] = s;
    ringCount[b] = count + 1; queued++;
  }
  void removeAt(int b, int off) {
    int count = ringCount[b], head = ringHead[b], mask = ringMask;
    if (off == 0) ringHead[b] = (head + 1) & mask;
    else { int base = b << ringShift; for (int i = off; i < count - 1; i++) ring[base + ((head + i) & mask)] = ring[base + ((head + i + 1) & mask)]; }
    ringCount[b] = count - 1; queued--;
  }
  bool hasHit(int b, int row) {
    int base = b << ringShift, head = ringHead[b];
    for (int i = 0; i < ringCount[b]; i++) if (burstRow[ring[base + ((head + i) & ringMask)]] == row) return true;
    return false;
  }
  void growRings() {
    int nb = ringHead.size(), oldShift = ringShift, oldMask = ringMask;
    std::vector<int> old = ring;
    ringShift++; ringMask = (1 << ringShift) - 1; ring.assign(nb << ringShift, 0);
    for (int b = 0; b < nb; b++) { int head = ringHead[b]; for (int i = 0; i < ringCount[b]; i++) ring[(b << ringShift) + i] = old[(b << oldShift) + ((head + i) & oldMask)]; ringHead[b] = 0; }
  }
  void growSlots(size_t size) {
    size_t old = burstParent.size();
    burstParent.resize(size); burstRow.resize(size); burstSeq.resize(size); burstWrite.resize(size); burstKey.resize(size); burstDoneCycle.resize(size);
    // TS: new free list holding only the new slots, handed out from the low end first.
    freeSlots.clear();
    for (size_t s = size; s-- > old;) freeSlots.push_back((int)s);
  }
  // RefreshTarget
  bool isOpen(int b) { return openRow[b] != CLOSED; }
  int queuedAt(int b) { return ringCount[b]; }
  void markDirty(int b) { if (!dirty[b]) { dirty[b] = 1; dirtyList[dirtyCount++] = b; } }
  double earliestAct(int b) { return timing.bankNext[b * 4 + ACT]; }
  double earliestPre(int b) { return timing.bankNext[b * 4 + PRE]; }
  void closeAt(int b, double c) { openRow[b] = CLOSED; openedForConflict[b] = 0; timing.closeAt(b, c); precharges++; markDirty(b); }
  void holdUntil(int b, double c) { timing.holdUntil(b, c); markDirty(b); }
};

void Refresh::startDue(double now, Channel& ch) {
  for (size_t r = 0; r < due.size(); r++) {
    if (pending[r] || due[r] > now) continue;
    pending[r] = 1; pendingCount++; slice[r] = pickSlice(r, ch);
    int base = r * banksPerRank;
    for (int k : slices[slice[r]]) { blocked[base + k] = 1; ch.markDirty(base + k); }
  }
  updateNextStart();
}
int Refresh::readyRank(double now, double rowBusFree, Channel& ch) {
  nextReady = INF; nextReadyRank = -1;
  if (pendingCount == 0) return -1;
  for (size_t r = 0; r < due.size(); r++) {
    if (!pending[r]) continue;
    double ready = sliceReady(r, rowBusFree, ch);
    if (ready <= now) return r;
    if (ready < nextReady) { nextReady = ready; nextReadyRank = r; }
  }
  return -1;
}
void Refresh::issue(int r, double now, Channel& ch) {
  int base = r * banksPerRank;
  for (int k : slices[slice[r]]) { ch.holdUntil(base + k, now + tRfc); blocked[base + k] = 0; }
  pending[r] = 0; pendingCount--; advance(r, 1); updateNextStart();
}
void Refresh::catchUp(double now, Channel& ch) {
  int n = slices.size();
  for (size_t r = 0; r < due.size(); r++) {
    if (due[r] > now) continue;
    double owed = std::floor((now - due[r]) / interval) + 1;
    if (owed > 2 * n) {
      double skip = owed - n; due[r] += skip * interval; ch.refreshes += (long)skip;
      std::fill(done.begin() + r * n, done.begin() + (r + 1) * n, 0); leftInRound[r] = n;
    }
    int base = r * banksPerRank;
    while (due[r] <= now) {
      double at = due[r]; slice[r] = pickSlice(r, ch);
      double refAt = at;
      for (int k : slices[slice[r]]) {
        if (ch.isOpen(base + k)) ch.closeAt(base + k, std::max(at, ch.earliestPre(base + k)));
        refAt = std::max(refAt, ch.earliestAct(base + k));
      }
      for (int k : slices[slice[r]]) ch.holdUntil(base + k, refAt + tRfc);
      ch.refreshes++; advance(r, 1);
    }
  }
  updateNextStart();
}
double Refresh::sliceReady(int r, double rowBusFree, Channel& ch) {
  int base = r * banksPerRank; double ready = rowBusFree;
  for (int k : slices[slice[r]]) { if (ch.isOpen(base + k)) return INF; double a = ch.earliestAct(base + k); if (a > ready) ready = a; }
  return ready;
}
int Refresh::pickSlice(int r, Channel& ch) {
  int n = slices.size();
  if (n == 1) return 0;
  int base = r * banksPerRank, best = -1; double bestLoad = INF;
  for (int i = 0; i < n; i++) {
    int s = (slice[r] + 1 + i) % n;
    if (done[r * n + s]) continue;
    double load = 0;
    for (int k : slices[s]) load += ch.queuedAt(base + k) + (ch.isOpen(base + k) ? 0.5 : 0);
    if (load < bestLoad) { bestLoad = load; best = s; }
  }
  return best;
}

struct Device {
  const Preset& p; RequestTable table; std::vector<Channel*> channels; std::vector<double> nextEvents; double minEvent = INF;
  long refused = 0; int refusedAt = -1;
  explicit Device(const Preset& p) : p(p) { for (int i = 0; i < p.channels; i++) channels.push_back(new Channel(p, i, table)); nextEvents.assign(p.channels, INF); }
  ~Device() { for (auto* c : channels) delete c; }
  // DramDevice.issueOneBurst for a request decoded beforehand; `index` identifies the request for the refusal
  // shortcut (DramDevice compares address and size, which identify the same retried request).
  bool issue(double id, int index, const int32_t* r, double now) {
    int c = r[0];
    Channel& ch = *channels[c];
    if (index == refusedAt && ch.queued >= p.queueDepth) { refused++; return false; }
    if (ch.queued >= p.queueDepth) { refusedAt = index; refused++; return false; }
    int parent = table.alloc(id, 1);
    ch.enqueue(parent, r[1], r[2], false, 0, now);
    nextEvents[c] = ch.nextEvent;
    if (ch.nextEvent < minEvent) minEvent = ch.nextEvent;
    return true;
  }
  void tick(double now, Sink& sink) {
    if (minEvent > now) return;
    double next = INF;
    for (size_t c = 0; c < nextEvents.size(); c++) {
      double e = nextEvents[c];
      if (e <= now) { channels[c]->tick(now, sink); e = nextEvents[c] = channels[c]->nextEvent; }
      if (e < next) next = e;
    }
    minEvent = next;
  }
};

// CPU time natively; emscripten has no process CPU clock, so the wasm build reads the monotonic clock.
static double cpu_s() {
  timespec t;
#ifdef __EMSCRIPTEN__
  clock_gettime(CLOCK_MONOTONIC, &t);
#else
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
#endif
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void fail(const char* what, const char* path) {
  std::fprintf(stderr, "dramPort: %s: %s\n", path, what);
  std::exit(2);
}

// dramPort PRESET REQUESTS REPS
//   PRESET: "name value" lines (the resolved preset's organisation, controller and timing in cycles);
//   REQUESTS: int32 triplets (channel, bank within the channel, row) of 64-byte reads, all due at cycle 0.
// Prints one line per repetition: cycles, mean latency in cycles, engine steps, activates, refused issues, CPU s.
int main(int argc, char** argv) {
  if (argc != 4) { std::fprintf(stderr, "usage: dramPort PRESET REQUESTS REPS\n"); return 2; }
  std::map<std::string, double> kv;
  FILE* f = std::fopen(argv[1], "r");
  if (!f) fail("cannot open", argv[1]);
  char key[64]; double v;
  while (std::fscanf(f, "%63s %lf", key, &v) == 2) kv[key] = v;
  std::fclose(f);
  auto get = [&](const char* k) { auto it = kv.find(k); if (it == kv.end()) fail(k, argv[1]); return it->second; };
  Preset p{};
  p.channels = get("channels"); p.ranks = get("ranks"); p.bankGroups = get("bankGroups"); p.banksPerGroup = get("banksPerGroup");
  p.actCycles = get("actCycles"); p.casCycles = get("casCycles"); p.split = get("split"); p.queueDepth = get("queueDepth"); p.rowHitCap = get("rowHitCap");
  p.closedPage = get("closedPage"); p.refreshScheme = get("refreshScheme");
  p.tRcd = get("tRcdCycles"); p.tRcdWr = get("tRcdWrCycles"); p.tCl = get("tClCycles"); p.tCwl = get("tCwlCycles"); p.tRp = get("tRpCycles"); p.tRas = get("tRasCycles");
  p.tRc = get("tRcCycles"); p.tCcdS = get("tCcdSCycles"); p.tCcdL = get("tCcdLCycles"); p.tCcdLWr = get("tCcdLWrCycles"); p.tRrdS = get("tRrdSCycles"); p.tRrdL = get("tRrdLCycles");
  p.tFaw = get("tFawCycles"); p.tWtrS = get("tWtrSCycles"); p.tWtrL = get("tWtrLCycles"); p.tRtp = get("tRtpCycles"); p.tWr = get("tWrCycles"); p.tRtrs = get("tRtrsCycles");
  p.tRtw = get("tRtwTurnaroundCycles"); p.burstCycles = get("burstCycles"); p.tRefi = get("tRefiCycles"); p.tRfc = get("tRfcCycles");
  std::vector<int32_t> reqs;
  f = std::fopen(argv[2], "rb");
  if (!f) fail("cannot open", argv[2]);
  int32_t w[3];
  while (std::fread(w, 4, 3, f) == 3) reqs.insert(reqs.end(), w, w + 3);
  std::fclose(f);
  const size_t n = reqs.size() / 3;
  const int reps = std::atoi(argv[3]);
  for (int rep = 0; rep < reps; rep++) {
    const double t0 = cpu_s();
    Device dev(p);
    Sink buf;
    // runEngine + TraceDriver in timed mode without a window, every request due at cycle 0; ids are recycled
    // lowest first, as TraceDriver hands them out.
    std::vector<double> arrival(1024);
    std::vector<int> freeIds;
    int idCap = 0;
    size_t next = 0;
    long steps = 0, completed = 0;
    double now = 0, lastCompletion = 0, latSum = 0;
    bool blocked = false;
    for (;;) {
      const double tSource = (blocked || next >= n) ? INF : 0;
      const double tDevice = dev.minEvent;
      double t = tSource < tDevice ? tSource : tDevice;
      if (t == INF) {
        if (next >= n && dev.table.outstanding == 0) break;
        std::fprintf(stderr, "dramPort: stalled at cycle %.0f\n", now);
        return 1;
      }
      if (t < now) t = now;
      now = t;
      steps++;
      const bool deviceDue = tDevice <= now;
      if (!blocked && tSource <= now) {
        bool ok = true;
        while (next < n) {
          if (freeIds.empty()) {
            const int old = idCap, nx = old == 0 ? 1024 : old * 2;
            if (nx > (int)arrival.size()) arrival.resize(nx);
            for (int i = nx - 1; i >= old; i--) freeIds.push_back(i);
            idCap = nx;
          }
          const int id = freeIds.back();
          if (!dev.issue(id, (int)next, &reqs[next * 3], now)) { ok = false; break; }
          freeIds.pop_back();
          arrival[id] = now;
          next++;
        }
        blocked = !ok;
      }
      dev.tick(now, buf);
      if (deviceDue) blocked = false;
      for (size_t i = 0; i < buf.ids.size(); i++) {
        const int id = (int)buf.ids[i];
        const double c = buf.cycles[i];
        latSum += c - arrival[id];
        completed++;
        if (c > lastCompletion) lastCompletion = c;
        freeIds.push_back(id);
      }
      buf.ids.clear();
      buf.cycles.clear();
    }
    const double s = cpu_s() - t0;
    long act = 0;
    for (auto* c : dev.channels) act += c->activates;
    std::printf("cycles %.0f meanLatencyCycles %.6f steps %ld activates %ld refused %ld cpuS %.6f\n", lastCompletion, latSum / completed, steps, act, dev.refused, s);
  }
  return 0;
}
