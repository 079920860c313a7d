// nano-vLLM's paged KV-cache block manager (engine/block_manager.py; facts.md §C): a FIFO free list, one block
// table per sequence, a new block when a sequence's length crosses a block boundary, and prefix-cache reuse of
// full blocks. Prompts here are random token ids, so a cache hit can only be a preempted sequence finding its
// own full blocks still unreused in the free list (the content hash is modelled by an owner tag).
import { ModelError, showValue } from '../core/index.ts';

/** What the block manager needs of a sequence; the scheduler's SequenceState implements it. */
export interface BlockOwner {
  readonly id: number;
  /** Tokens so far: prompt plus completion (`len(seq)`). */
  numTokens: number;
  numCachedTokens: number;
  readonly blockTable: number[];
}

const NO_TAG = -1;

export class BlockManager {
  private readonly free: number[] = [];
  private readonly refCount: Int32Array;
  /** Owner tag of a full block: owner id x 2^20 + block index; NO_TAG when the block holds no hashed content. */
  private readonly tag: Float64Array;
  private readonly tagToBlock = new Map<number, number>();

  constructor(
    readonly numBlocks: number,
    readonly blockSize: number,
  ) {
    if (!Number.isSafeInteger(numBlocks) || numBlocks < 1) throw new ModelError(`BlockManager: numBlocks: expected a positive integer, got ${showValue(numBlocks)}`);
    if (!Number.isSafeInteger(blockSize) || blockSize < 2) throw new ModelError(`BlockManager: blockSize: expected an integer >= 2, got ${showValue(blockSize)}`);
    for (let b = 0; b < numBlocks; b++) this.free.push(b);
    this.refCount = new Int32Array(numBlocks);
    this.tag = new Float64Array(numBlocks).fill(NO_TAG);
  }

  get freeBlocks(): number {
    return this.free.length;
  }

  get usedBlocks(): number {
    return this.numBlocks - this.free.length;
  }

  blocksFor(tokens: number): number {
    return Math.ceil(tokens / this.blockSize);
  }

  /** can_allocate: the whole sequence must fit in free blocks (cache hits are not counted in advance). */
  canAllocate(seq: BlockOwner): boolean {
    return this.free.length >= this.blocksFor(seq.numTokens);
  }

  /** allocate: one block per blockSize tokens; full blocks still tagged with this sequence are reused. */
  allocate(seq: BlockOwner): void {
    if (seq.blockTable.length !== 0) throw new ModelError(`BlockManager.allocate: sequence ${seq.id} already holds blocks`);
    const blocks = this.blocksFor(seq.numTokens);
    let cacheMiss = false;
    for (let i = 0; i < blocks; i++) {
      const full = (i + 1) * this.blockSize <= seq.numTokens;
      const tag = full ? ownerTag(seq.id, i) : NO_TAG;
      const cached = tag === NO_TAG ? undefined : this.tagToBlock.get(tag);
      if (cached === undefined || this.tag[cached] !== tag) cacheMiss = true;
      let block: number;
      if (cacheMiss) {
        block = this.take(this.free[0]!);
      } else {
        block = cached!;
        seq.numCachedTokens += this.blockSize;
        if (this.refCount[block]! > 0) this.refCount[block]!++;
        else this.take(block);
      }
      if (tag !== NO_TAG) this.setTag(block, tag);
      seq.blockTable.push(block);
    }
    // nano-vLLM computes at least the last token again (a fully cached sequence has nothing to sample from).
    if (seq.numCachedTokens >= seq.numTokens) seq.numCachedTokens = seq.numTokens - this.blockSize;
  }

  /** can_append: a decode step needs a fresh block when its new token opens one. */
  canAppend(seq: BlockOwner): boolean {
    return this.free.length >= (seq.numTokens % this.blockSize === 1 ? 1 : 0);
  }

  /** may_append: take a block for a token that opens one; tag a block the token fills. */
  mayAppend(seq: BlockOwner): void {
    const r = seq.numTokens % this.blockSize;
    if (r === 1) {
      seq.blockTable.push(this.take(this.free[0]!));
    }
    if (r === 0) this.setTag(seq.blockTable[seq.blockTable.length - 1]!, ownerTag(seq.id, seq.blockTable.length - 1));
  }

  /** deallocate: release in reverse order; free blocks keep their tag until reused. */
  deallocate(seq: BlockOwner): void {
    for (let i = seq.blockTable.length - 1; i >= 0; i--) {
      const block = seq.blockTable[i]!;
      this.refCount[block]!--;
      if (this.refCount[block] === 0) this.free.push(block);
    }
    seq.numCachedTokens = 0;
    seq.blockTable.length = 0;
  }

  private take(block: number): number {
    const at = this.free[0] === block ? 0 : this.free.indexOf(block);
    if (at < 0) throw new ModelError(`BlockManager: block ${block} is not free`);
    this.free.splice(at, 1);
    this.refCount[block] = 1;
    // _allocate_block resets the block: its old content is gone.
    const old = this.tag[block]!;
    if (old !== NO_TAG && this.tagToBlock.get(old) === block) this.tagToBlock.delete(old);
    this.tag[block] = NO_TAG;
    return block;
  }

  private setTag(block: number, tag: number): void {
    this.tag[block] = tag;
    this.tagToBlock.set(tag, block);
  }
}

function ownerTag(seqId: number, blockIndex: number): number {
  return seqId * 2 ** 20 + blockIndex;
}
