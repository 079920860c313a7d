// The compiled core of `engram-dse memsim` for DRAM presets: src/memory's trace replay (runEngine, TraceDriver,
// DramDevice, ChannelController, TimingTables, RefreshSchedule, BurstIndex, RequestTable, CompletionFifo,
// LatencyHistogram, AddressDecoder) ported line by line to C++ and compiled natively (native_main.cpp, memsim's
// default engine, 2.1-2.7x the TypeScript model) or to WebAssembly (about 1.8x): src/memory/README.md, "The
// compiled core" and "The native engine". Same data layout, same order of operations, same tie rules: a run
// gives the same completion cycles, latency histogram, batch times, engine steps and device statistics as the
// TypeScript model (test/memory/compiledCore.test.ts compares them).
//
// The TypeScript side (src/memory/compiledCore.ts) writes the preset into the parameter block, then calls
// dc_run(); the core pulls trace records through the imported dc_refill(), which fills the input block with up to
// dc_layout(3) records (5 doubles each: addr, sizeBytes, isWrite, cycle, batch) and returns how many, 0 at the
// end (natively, native_main.cpp reads them from the pipe src/memory/nativeCore.ts writes). Records arrive
// validated (integer addresses and sizes, non-decreasing times in timed mode). Built by sim/dramcore/build.sh
// (em++ -O3, standalone wasm, no JS glue; or g++ -O2).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <vector>

#include "dram_core_layout.h"

#ifdef __wasm__
extern "C" __attribute__((import_module("env"), import_name("dc_refill"))) int dc_refill(void);
#define DC_EXPORT extern "C" __attribute__((used, visibility("default")))
#else
extern "C" int dc_refill(void);
#define DC_EXPORT extern "C"
#endif

static const double INF = INFINITY;

// c ? a : b without a branch (compilers turn a double ?: into a jump, which mispredicts in the scans).
static inline double pick(bool c, double a, double b) {
  uint64_t x, y;
  std::memcpy(&x, &a, 8);
  std::memcpy(&y, &b, 8);
  const uint64_t m = 0 - (uint64_t)c;
  x = (x & m) | (y & ~m);
  double r;
  std::memcpy(&r, &x, 8);
  return r;
}
enum { ACT = 0, PRE = 1, RD = 2, WR = 3, NONE = 4 };
enum { CLASS_NONE = 0, CLASS_ROW = 1, CLASS_COL = 2 };
static const int NIL = -1, CLOSED = -1;

struct Preset {
  int channels, ranks, bankGroups, banksPerGroup, actCycles, casCycles, split, queueDepth, rowHitCap, closedPage, refreshScheme, mergeDuplicates;
  double tRcd, tRcdWr, tCl, tCwl, tRp, tRas, tRc, tCcdS, tCcdL, tCcdLWr, tRrdS, tRrdL, tFaw, tWtrS, tWtrL, tRtp, tWr, tRtrs, tRtw, burstCycles, tRefi, tRfc;
};

// runEngine's CompletionBuffer: completions of one device tick, delivered to the driver in the commit phase.
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

// BurstIndex: burst address -> slot, open addressing with linear probing and backward-shift deletion.
static const int ABSENT = -1;
struct BurstIndex {
  std::vector<double> keys = std::vector<double>(64);
  std::vector<int> values = std::vector<int>(64, ABSENT);
  uint32_t mask = 63;
  int size = 0;
  uint32_t home(double key) const {
    uint32_t lo = (uint32_t)(uint64_t)key;
    uint32_t hi = (uint32_t)(int32_t)(key / 4294967296.0);
    uint32_t h = (lo ^ (hi * 0x85ebca6bu)) * 0x9e3779b1u;
    return (h ^ (h >> 15)) & mask;
  }
  int get(double key) const {
    for (uint32_t i = home(key);; i = (i + 1) & mask) {
      int v = values[i];
      if (v == ABSENT || keys[i] == key) return v;
    }
  }
  void set(double key, int value) {
    uint32_t i = home(key);
    while (values[i] != ABSENT && keys[i] != key) i = (i + 1) & mask;
    if (values[i] == ABSENT) {
      keys[i] = key;
      if (++size * 2 > (int)(mask + 1)) { values[i] = value; grow(); return; }
    }
    values[i] = value;
  }
  void del(double key) {
    uint32_t i = home(key);
    while (values[i] != ABSENT && keys[i] != key) i = (i + 1) & mask;
    if (values[i] == ABSENT) return;
    size--;
    for (uint32_t j = (i + 1) & mask; values[j] != ABSENT; j = (j + 1) & mask) {
      uint32_t h = home(keys[j]);
      bool between = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (between) continue;
      keys[i] = keys[j]; values[i] = values[j]; i = j;
    }
    values[i] = ABSENT;
  }
  void grow() {
    std::vector<double> oldKeys; oldKeys.swap(keys);
    std::vector<int> oldValues; oldValues.swap(values);
    size_t capacity = (mask + 1) * 2;
    keys.assign(capacity, 0); values.assign(capacity, ABSENT); mask = capacity - 1; size = 0;
    for (size_t i = 0; i < oldValues.size(); i++) if (oldValues[i] != ABSENT) set(oldKeys[i], oldValues[i]);
  }
};

struct Channel {
  double nextEvent = INF; int queued = 0;
  double refreshes = 0, activates = 0, precharges = 0, readBursts = 0, writeBursts = 0, mergedBursts = 0, rowHits = 0, rowMisses = 0, rowConflicts = 0;
  Timing timing; Refresh refresh; Fifo readsDone, writesDone; bool closedPage, split; int rowHitCap; RequestTable& table;
  std::vector<int> burstParent, burstRow, burstFollow, burstNextMerged, freeSlots;
  BurstIndex* pendingReads = nullptr; std::vector<double> burstSeq, burstKey, burstDoneCycle; std::vector<uint8_t> burstWrite;
  double seqCounter = 0;
  std::vector<int> ring; int ringShift = 3, ringMask = 7; std::vector<int> ringHead, ringCount;
  std::vector<int> openRow, columnsSinceAct, hitStreak; std::vector<uint8_t> openedForConflict;
  std::vector<uint8_t> candCmd, candClass; std::vector<int> candSlot, candOff, listPos, rowList, colList, gateOfBank, dirtyList; std::vector<double> candSeq, rowKeys;
  std::vector<uint8_t> dirty; int rowCount = 0, colCount = 0, dirtyCount = 0;
  int colBank = NIL; double colReady = INF, colSeq = INF; int rowBank = NIL; double rowReady = INF, rowSeqBest = INF;
  bool planStale = true; double planAt = INF; int planRefRank = -1; double planRefReady = INF;

  Channel(const Preset& p, int index, RequestTable& t) : timing(p), refresh(p, index), table(t) {
    if (p.mergeDuplicates) pendingReads = new BurstIndex();
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
  ~Channel() { delete pendingReads; }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;
  bool enqueue(int parent, int bank, int row, bool isWrite, double key, double now) {
    if (queued == 0 && !refresh.anyPending()) { refresh.catchUp(now, *this); planStale = true; }
    BurstIndex* merge = pendingReads;
    if (merge && mergeOrRecord(*merge, parent, row, isWrite, key, now)) return true;
    int s = alloc(parent, row, isWrite, key);
    if (merge && !isWrite) merge->set(key, s);
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
  bool mergeOrRecord(BurstIndex& merge, int parent, int row, bool isWrite, double key, double now) {
    int primary = merge.get(key);
    if (primary == ABSENT || burstDoneCycle[primary] <= now) return false;
    if (!isWrite) {
      int s = alloc(parent, row, false, key);
      burstNextMerged[s] = burstFollow[primary];
      burstFollow[primary] = s;
      mergedBursts++;
      return true;
    }
    merge.del(key);
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
  void finish(int slot, double now, Sink& sink) {
    if (pendingReads) {
      if (!burstWrite[slot] && pendingReads->get(burstKey[slot]) == slot) pendingReads->del(burstKey[slot]);
      for (int f = burstFollow[slot]; f != NIL;) {
        int nextF = burstNextMerged[f];
        table.burstDone(burstParent[f], now, sink);
        freeSlots.push_back(f);
        f = nextF;
      }
    }
    table.burstDone(burstParent[slot], now, sink);
    freeSlots.push_back(slot);
  }
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
      // Branch-free: which bank wins is data-dependent, and a mispredicted branch here cost more than the scan.
      bool better = (ready < bestReady) | ((ready == bestReady) & (seq < bestSeq));
      best = better ? b : best; bestReady = pick(better, ready, bestReady); bestSeq = pick(better, seq, bestSeq);
    }
    colBank = best; colReady = bestReady; colSeq = bestSeq;
  }
  void scanRows(double now) {
    int best = -1; double bestReady = INF, bestSeq = INF;
    const double* keys = rowKeys.data(); const double* gates = timing.actGate.data();
    double bus = timing.rowBusFree > now ? timing.rowBusFree : now;
    for (int at = 0, end = rowCount << 2; at < end; at += 4) {
      double ready = keys[at];
      double g = gates[(int)keys[at + 1]]; if (g > ready) ready = g;
      if (bus > ready) ready = bus;
      double seq = keys[at + 2];
      bool better = (ready < bestReady) | ((ready == bestReady) & (seq < bestSeq));
      best = better ? at : best; bestReady = pick(better, ready, bestReady); bestSeq = pick(better, seq, bestSeq);
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
    burstParent[s] = parent; burstRow[s] = row; burstWrite[s] = isWrite; burstKey[s] = key; burstSeq[s] = seqCounter++; burstFollow[s] = NIL; burstDoneCycle[s] = INF;
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
    burstParent.resize(size); burstRow.resize(size); burstSeq.resize(size); burstWrite.resize(size); burstKey.resize(size); burstFollow.resize(size); burstNextMerged.resize(size); burstDoneCycle.resize(size);
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
      double skip = owed - n; due[r] += skip * interval; ch.refreshes += skip;
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

// AddressDecoder.decode: the mapping compiled by the TypeScript side (radix, 1/radix, field and weight per digit,
// and the bit-field form when every radix is a power of two).
enum { FIELD_CHANNEL = 0, FIELD_RANK = 1, FIELD_BANK_GROUP = 2, FIELD_BANK = 3, FIELD_ROW = 4, FIELD_COLUMN = 5 };
struct Decoder {
  std::vector<double> radix, inverse, weight;
  std::vector<int> field, bits;
  bool pow2 = false;
  double capacityBursts = 0;
  bool decode(double burst, int32_t* out) const {
    out[0] = out[1] = out[2] = out[3] = out[4] = out[5] = 0;
    if (pow2 && burst <= 2147483647.0) {
      uint32_t x = (uint32_t)burst;
      for (size_t i = 0; i < bits.size(); i += 4) {
        int f = bits[i + 2];
        out[f] = out[f] | (int32_t)(((x >> bits[i]) & (uint32_t)bits[i + 1]) << bits[i + 3]);
      }
      return burst < capacityBursts;
    }
    double x = burst;
    for (size_t i = 0; i < radix.size(); i++) {
      double r = radix[i];
      double q = std::floor(x * inverse[i]);
      double digit = x - q * r;
      if (digit < 0) { q--; digit += r; } else if (digit >= r) { q++; digit -= r; }
      x = q;
      int f = field[i];
      out[f] = (int32_t)(out[f] + digit * weight[i]);
    }
    return x == 0;
  }
};

// DramDevice: independent channel controllers behind one address mapping; a request is accepted whole or not at all.
struct Device {
  const Preset& p; const Decoder& decoder; RequestTable table; std::vector<Channel*> channels; std::vector<double> nextEvents; double minEvent = INF;
  double burstBytes, burstScale;
  int32_t fields[6];
  std::vector<int> scratchChannel = std::vector<int>(64), scratchBank = std::vector<int>(64), scratchRow = std::vector<int>(64);
  double requests = 0, reads = 0, writes = 0, bytesRequested = 0, mergedRequests = 0, wrappedRequests = 0, refused = 0;
  double refusedAddr = -1, refusedSize = 0; int refusedChannel = 0;
  Device(const Preset& p, const Decoder& d, double burstBytes) : p(p), decoder(d), burstBytes(burstBytes) {
    // x * (1 / burstBytes) equals x / burstBytes exactly when the burst is a power of two (every preset's is),
    // and saves two divisions a request; other sizes divide.
    int e;
    burstScale = std::frexp(burstBytes, &e) == 0.5 ? 1 / burstBytes : 0;
    for (int i = 0; i < p.channels; i++) channels.push_back(new Channel(p, i, table));
    nextEvents.assign(p.channels, INF);
  }
  ~Device() { for (auto* c : channels) delete c; }
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  bool issue(double id, double addr, double sizeBytes, bool isWrite, double now) {
    if (addr == refusedAddr && sizeBytes == refusedSize && channels[refusedChannel]->queued >= p.queueDepth) { refused++; return false; }
    double first = std::floor(inBursts(addr));
    double n = std::floor(inBursts(addr + sizeBytes - 1)) - first + 1;
    if (n == 1) return issueOneBurst(id, addr, sizeBytes, isWrite, first, now);
    if (n > scratchChannel.size()) {
      size_t size = (size_t)std::exp2(std::ceil(std::log2(n)));
      scratchChannel.assign(size, 0); scratchBank.assign(size, 0); scratchRow.assign(size, 0);
    }
    int count = (int)n;
    int32_t* f = fields;
    bool wrapped = false;
    for (int i = 0; i < count; i++) {
      if (!decoder.decode(first + i, f)) wrapped = true;
      int c = f[FIELD_CHANNEL];
      if (channels[c]->queued >= p.queueDepth) { refusedAddr = addr; refusedSize = sizeBytes; refusedChannel = c; refused++; return false; }
      scratchChannel[i] = c;
      scratchBank[i] = (f[FIELD_RANK] * p.bankGroups + f[FIELD_BANK_GROUP]) * p.banksPerGroup + f[FIELD_BANK];
      scratchRow[i] = f[FIELD_ROW];
    }
    int parent = table.alloc(id, count);
    bool allMerged = true;
    for (int i = 0; i < count; i++) {
      int c = scratchChannel[i];
      Channel& ch = *channels[c];
      if (!ch.enqueue(parent, scratchBank[i], scratchRow[i], isWrite, physicalBurst(first + i), now)) allMerged = false;
      nextEvents[c] = ch.nextEvent;
      if (ch.nextEvent < minEvent) minEvent = ch.nextEvent;
    }
    requests++;
    if (isWrite) writes++; else reads++;
    bytesRequested += sizeBytes;
    if (allMerged) mergedRequests++;
    if (wrapped) wrappedRequests++;
    return true;
  }
  double inBursts(double bytes) const { return burstScale != 0 ? bytes * burstScale : bytes / burstBytes; }
  // The merge key: the burst index modulo the capacity (wrapped addresses alias like the hardware would);
  // fmod only for the rare burst beyond the capacity.
  double physicalBurst(double burst) const { return burst < decoder.capacityBursts ? burst : std::fmod(burst, decoder.capacityBursts); }
  bool issueOneBurst(double id, double addr, double sizeBytes, bool isWrite, double burst, double now) {
    int32_t* f = fields;
    bool wrapped = !decoder.decode(burst, f);
    int c = f[FIELD_CHANNEL];
    Channel& ch = *channels[c];
    if (ch.queued >= p.queueDepth) { refusedAddr = addr; refusedSize = sizeBytes; refusedChannel = c; refused++; return false; }
    int bank = (f[FIELD_RANK] * p.bankGroups + f[FIELD_BANK_GROUP]) * p.banksPerGroup + f[FIELD_BANK];
    int parent = table.alloc(id, 1);
    bool merged = ch.enqueue(parent, bank, f[FIELD_ROW], isWrite, physicalBurst(burst), now);
    double e = ch.nextEvent;
    nextEvents[c] = e;
    if (e < minEvent) minEvent = e;
    requests++;
    if (isWrite) writes++; else reads++;
    bytesRequested += sizeBytes;
    if (merged) mergedRequests++;
    if (wrapped) wrappedRequests++;
    return true;
  }
  void tick(double now, Sink& sink) {
    if (minEvent > now) return;
    double* events = nextEvents.data();
    const size_t n = nextEvents.size();
    double next = INF;
    if (n <= 64) {
      // The due channels as a bit mask, then ticked in channel order: a test per channel mispredicted often.
      uint64_t due = 0;
      for (size_t c = 0; c < n; c++) due |= (uint64_t)(events[c] <= now) << c;
      while (due != 0) {
        const int c = __builtin_ctzll(due);
        due &= due - 1;
        channels[c]->tick(now, sink);
        events[c] = channels[c]->nextEvent;
      }
      for (size_t c = 0; c < n; c++) next = events[c] < next ? events[c] : next;
    } else {
      for (size_t c = 0; c < n; c++) {
        double e = events[c];
        if (e <= now) { channels[c]->tick(now, sink); e = events[c] = channels[c]->nextEvent; }
        if (e < next) next = e;
      }
    }
    minEvent = next;
  }
};

// LatencyHistogram: exact below 4096 cycles, log-linear buckets of 1/128 above.
static const int H_EXACT = 4096, H_EXACT_BITS = 12, H_SUB_BITS = 7, H_SUB = 1 << H_SUB_BITS, H_MAX_EXPONENT = 53;
static const int H_BUCKETS = H_EXACT + (H_MAX_EXPONENT - H_EXACT_BITS + 1) * H_SUB;
struct Histogram {
  std::vector<double> counts = std::vector<double>(H_BUCKETS);
  double count = 0, sum = 0, min = INF, max = -INF;
  static int bucketOf(double v) {
    if (v < H_EXACT) return (int)v;
    // floor(log2(v)) exactly (frexp gives v = m * 2^e with m in [0.5, 1)).
    int e;
    std::frexp(v, &e);
    e -= 1;
    double m = std::floor(v / std::ldexp(1.0, e - H_SUB_BITS)) - H_SUB;
    return H_EXACT + (e - H_EXACT_BITS) * H_SUB + (int)m;
  }
  void add(double cycles) {
    counts[bucketOf(cycles)]++;
    count++; sum += cycles;
    if (cycles < min) min = cycles;
    if (cycles > max) max = cycles;
  }
};

// The input block: records pulled from the TypeScript stream through dc_refill.
static const int RECORD_DOUBLES = 5;
static const int INPUT_CAPACITY = 8192;
static double g_input[INPUT_CAPACITY * RECORD_DOUBLES];

struct Record { double addr = 0, sizeBytes = 0, cycle = 0, batch = 0; bool isWrite = false; };

struct Input {
  int count = 0, pos = 0;
  bool ended = false;
  bool next(Record& r) {
    if (pos == count) {
      if (ended) return false;
      count = dc_refill();
      pos = 0;
      if (count <= 0) { count = 0; ended = true; return false; }
    }
    const double* v = g_input + pos * RECORD_DOUBLES;
    r.addr = v[0]; r.sizeBytes = v[1]; r.isWrite = v[2] != 0; r.cycle = v[3]; r.batch = v[4];
    pos++;
    return true;
  }
};

// TraceDriver: timed (each request at its trace cycle) or batched (a barrier between batches), under a window.
struct Driver {
  Input input; Record rec;
  bool havePending = false, exhausted = false;
  std::vector<double> arrival = std::vector<double>(1024), batchOf = std::vector<double>(1024);
  std::vector<int> freeIds; int freeCount = 0, idCapacity = 0, outstanding = 0;
  double currentBatch = -1, batchStart = 0; int batchOutstanding = 0; bool batchClosed = false;
  std::vector<double> batchTimes;
  Histogram latency;
  double requests = 0, reads = 0, writes = 0, bytes = 0, firstArrival = INF, lastCompletion = 0, occupancy = 0, lastChange = 0;
  double window; bool batched;
  Driver(double window, bool batched) : window(window), batched(batched) {}

  double nextIssueCycle() {
    if (outstanding >= window || !(havePending || fetch())) return INF;
    if (!batched) return rec.cycle;
    if (rec.batch != currentBatch && batchOutstanding > 0) return INF;
    return rec.batch != currentBatch ? lastCompletion : batchStart;
  }
  bool issueDue(double now, Device& device) {
    while (outstanding < window && (havePending || fetch())) {
      if (batched) {
        if (rec.batch != currentBatch) {
          if (batchOutstanding > 0) return true;
          currentBatch = rec.batch; batchStart = now; batchClosed = false;
        }
      } else if (rec.cycle > now) return true;
      if (freeCount == 0) growIds();
      int id = freeIds[freeCount - 1];
      if (!device.issue(id, rec.addr, rec.sizeBytes, rec.isWrite, now)) return false;
      freeCount--;
      accrue(now);
      outstanding++;
      arrival[id] = now;
      batchOf[id] = currentBatch;
      if (now < firstArrival) firstArrival = now;
      requests++;
      if (rec.isWrite) writes++; else reads++;
      bytes += rec.sizeBytes;
      havePending = false;
      if (batched) {
        batchOutstanding++;
        if (!fetch() || rec.batch != currentBatch) batchClosed = true;
      }
    }
    return true;
  }
  void complete(int id, double c) {
    accrue(c);
    outstanding--;
    latency.add(c - arrival[id]);
    if (c > lastCompletion) lastCompletion = c;
    freeIds[freeCount++] = id;
    if (batched && batchOf[id] == currentBatch) {
      batchOutstanding--;
      if (batchOutstanding == 0 && batchClosed) batchTimes.push_back(c - batchStart);
    }
  }
  bool done() { return outstanding == 0 && !fetch(); }
  bool fetch() {
    if (havePending) return true;
    if (exhausted) return false;
    if (!input.next(rec)) { exhausted = true; return false; }
    havePending = true;
    return true;
  }
  void accrue(double now) { occupancy += outstanding * (now - lastChange); lastChange = now; }
  void growIds() {
    int old = idCapacity, next = old == 0 ? 1024 : old * 2;
    if (next > (int)arrival.size()) { arrival.resize(next); batchOf.resize(next); }
    freeIds.assign(next, 0);
    for (int i = next - 1; i >= old; i--) freeIds[freeCount++] = i;
    idCapacity = next;
  }
};

// ---- Entry points ----

static double g_params[PARAM_COUNT];
static double g_result[RESULT_COUNT];
static Histogram* g_hist = nullptr;
static std::vector<double> g_batches;

DC_EXPORT int dc_layout(int which) { return which == 0 ? PARAM_COUNT : which == 1 ? RESULT_COUNT : which == 2 ? H_BUCKETS : which == 3 ? INPUT_CAPACITY : which == 4 ? RECORD_DOUBLES : which == 5 ? MAX_PARTS : -1; }
DC_EXPORT double* dc_params(void) { return g_params; }
DC_EXPORT double* dc_input(void) { return g_input; }
DC_EXPORT double* dc_result(void) { return g_result; }
DC_EXPORT double* dc_histogram(void) { return g_hist ? g_hist->counts.data() : nullptr; }
DC_EXPORT double* dc_batches(void) { return g_batches.data(); }

// runEngine's state between calls of runSteps.
struct Engine {
  Sink buffer;
  double now = 0, steps = 0;
  bool blocked = false;
  /** STATUS_* once the run has ended; -1 while it goes on. */
  int status = -1;
};

// Up to `budget` steps of runEngine. The loop lives in this function, called again and again, rather than in
// dc_run, because V8 runs a wasm function first in its baseline compiler and switches to optimised code only at
// a call (wasm has no on-stack replacement): a loop that never returned would stay in baseline code (1.6 M
// requests/s instead of 2 M on the bench, measured).
__attribute__((noinline)) static void runSteps(Engine& e, Device& dev, Driver& source, int budget) {
  double now = e.now;
  bool blocked = e.blocked;
  Sink& buffer = e.buffer;
  for (int n = 0; n < budget; n++) {
    const double tSource = blocked ? INF : source.nextIssueCycle();
    const double tDevice = dev.minEvent;
    double t = tSource < tDevice ? tSource : tDevice;
    if (t == INF) {
      e.status = source.done() ? STATUS_DONE : STATUS_STALLED;
      break;
    }
    if (t < now) t = now;
    now = t;
    e.steps++;
    const bool deviceDue = tDevice <= now;
    if (!blocked && tSource <= now) blocked = !source.issueDue(now, dev);
    dev.tick(now, buffer);
    if (deviceDue) blocked = false;
    for (size_t i = 0; i < buffer.ids.size(); i++) source.complete((int)buffer.ids[i], buffer.cycles[i]);
    buffer.ids.clear();
    buffer.cycles.clear();
  }
  e.now = now;
  e.blocked = blocked;
}

/** runEngine over one DramDevice and one TraceDriver; returns a STATUS_* code (also in the result block). */
DC_EXPORT int dc_run(void) {
  const double* q = g_params;
  Preset p{};
  p.channels = (int)q[P_CHANNELS]; p.ranks = (int)q[P_RANKS]; p.bankGroups = (int)q[P_BANK_GROUPS]; p.banksPerGroup = (int)q[P_BANKS_PER_GROUP];
  p.actCycles = (int)q[P_ACT_CYCLES]; p.casCycles = (int)q[P_CAS_CYCLES]; p.split = (int)q[P_SPLIT]; p.queueDepth = (int)q[P_QUEUE_DEPTH];
  p.rowHitCap = (int)q[P_ROW_HIT_CAP]; p.closedPage = (int)q[P_CLOSED_PAGE]; p.refreshScheme = (int)q[P_REFRESH_SCHEME]; p.mergeDuplicates = (int)q[P_MERGE];
  p.tRcd = q[P_T_RCD]; p.tRcdWr = q[P_T_RCD_WR]; p.tCl = q[P_T_CL]; p.tCwl = q[P_T_CWL]; p.tRp = q[P_T_RP]; p.tRas = q[P_T_RAS]; p.tRc = q[P_T_RC];
  p.tCcdS = q[P_T_CCD_S]; p.tCcdL = q[P_T_CCD_L]; p.tCcdLWr = q[P_T_CCD_L_WR]; p.tRrdS = q[P_T_RRD_S]; p.tRrdL = q[P_T_RRD_L]; p.tFaw = q[P_T_FAW];
  p.tWtrS = q[P_T_WTR_S]; p.tWtrL = q[P_T_WTR_L]; p.tRtp = q[P_T_RTP]; p.tWr = q[P_T_WR]; p.tRtrs = q[P_T_RTRS]; p.tRtw = q[P_T_RTW];
  p.burstCycles = q[P_BURST_CYCLES]; p.tRefi = q[P_T_REFI]; p.tRfc = q[P_T_RFC];
  std::memset(g_result, 0, sizeof g_result);
  const int parts = (int)q[P_PARTS];
  if (p.channels < 1 || p.ranks < 1 || p.bankGroups < 1 || p.banksPerGroup < 1 || parts < 1 || parts > MAX_PARTS || p.refreshScheme < 0 || p.refreshScheme > 2) {
    g_result[R_STATUS] = STATUS_BAD_PARAMS;
    return STATUS_BAD_PARAMS;
  }
  Decoder decoder;
  decoder.capacityBursts = q[P_CAPACITY_BURSTS];
  decoder.pow2 = q[P_POW2] != 0;
  for (int i = 0; i < parts; i++) {
    const double* v = q + P_PART0 + i * PART_DOUBLES;
    decoder.radix.push_back(v[0]); decoder.inverse.push_back(v[1]); decoder.field.push_back((int)v[2]); decoder.weight.push_back(v[3]);
    for (int k = 4; k < 8; k++) decoder.bits.push_back((int)v[k]);
  }

  Device dev(p, decoder, q[P_BURST_BYTES]);
  Driver source(q[P_WINDOW], q[P_BATCHED] != 0);
  Engine engine;
  while (engine.status < 0) runSteps(engine, dev, source, 4096);
  const double now = engine.now, steps = engine.steps;
  const bool blocked = engine.blocked;
  const int status = engine.status;

  double* r = g_result;
  r[R_STATUS] = status; r[R_STEPS] = steps; r[R_FINAL_CYCLE] = now;
  r[R_REQUESTS] = source.requests; r[R_READS] = source.reads; r[R_WRITES] = source.writes; r[R_BYTES] = source.bytes;
  r[R_FIRST_ARRIVAL] = source.requests == 0 ? 0 : source.firstArrival; r[R_LAST_COMPLETION] = source.lastCompletion; r[R_OCCUPANCY] = source.occupancy;
  r[R_DEV_REQUESTS] = dev.requests; r[R_DEV_READS] = dev.reads; r[R_DEV_WRITES] = dev.writes; r[R_DEV_BYTES] = dev.bytesRequested;
  r[R_MERGED_REQUESTS] = dev.mergedRequests; r[R_WRAPPED_REQUESTS] = dev.wrappedRequests; r[R_REFUSED] = dev.refused;
  for (Channel* c : dev.channels) {
    r[R_ACTIVATES] += c->activates; r[R_PRECHARGES] += c->precharges; r[R_REFRESHES] += c->refreshes; r[R_READ_BURSTS] += c->readBursts;
    r[R_WRITE_BURSTS] += c->writeBursts; r[R_MERGED_BURSTS] += c->mergedBursts; r[R_ROW_HITS] += c->rowHits; r[R_ROW_MISSES] += c->rowMisses;
    r[R_ROW_CONFLICTS] += c->rowConflicts;
  }
  r[R_HIST_COUNT] = source.latency.count; r[R_HIST_SUM] = source.latency.sum; r[R_HIST_MIN] = source.latency.min; r[R_HIST_MAX] = source.latency.max;
  r[R_BATCHES] = (double)source.batchTimes.size(); r[R_OUTSTANDING] = dev.table.outstanding; r[R_BLOCKED] = blocked ? 1 : 0;
  delete g_hist;
  g_hist = new Histogram(source.latency);
  g_batches.swap(source.batchTimes);
  return status;
}
