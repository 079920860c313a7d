// The host's page cache in front of an SSD: an LRU set of 4 KiB pages held in host DRAM frames (the
// Linux page cache without readahead), capacity in bytes; a lookup either hits a frame or claims one.
import { SimError, showValue } from '../../core/index.ts';

export interface PageLookup {
  readonly hit: boolean;
  /** Frame index in [0, capacityPages): the page's DRAM address is base + frame x pageBytes. */
  readonly frame: number;
}

/**
 * Contract: `access(page)` counts one lookup, makes the page most recently used and returns its frame;
 * a miss claims the least recently used page's frame (or a free one). The frame is valid until the
 * page is evicted, which takes capacityPages other distinct pages.
 */
export class PageCache {
  readonly capacityPages: number;
  private readonly frames = new Map<number, number>();
  private nextFree = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly capacityBytes: number,
    readonly pageBytes: number,
  ) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < pageBytes) {
      throw new SimError(`PageCache: capacityBytes: expected an integer of at least one page (${pageBytes} bytes), got ${showValue(capacityBytes)}`);
    }
    this.capacityPages = Math.floor(capacityBytes / pageBytes);
  }

  access(page: number): PageLookup {
    const frame = this.frames.get(page);
    if (frame !== undefined) {
      // Map iteration order is insertion order: re-inserting makes the page the most recent.
      this.frames.delete(page);
      this.frames.set(page, frame);
      this.hits++;
      return { hit: true, frame };
    }
    this.misses++;
    let claimed: number;
    if (this.nextFree < this.capacityPages) claimed = this.nextFree++;
    else {
      const [oldest, oldFrame] = this.frames.entries().next().value as [number, number];
      this.frames.delete(oldest);
      claimed = oldFrame;
    }
    this.frames.set(page, claimed);
    return { hit: false, frame: claimed };
  }

  /** Share of lookups that hit; 0 before any lookup. */
  hitRate(): number {
    const n = this.hits + this.misses;
    return n === 0 ? 0 : this.hits / n;
  }

  get residentPages(): number {
    return this.frames.size;
  }
}
