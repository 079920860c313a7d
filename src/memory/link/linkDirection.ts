// One direction of a serial link: packets leave in the order they are handed over, each occupying the
// wire for its bytes x the line-coded byte time; counts what crossed, for bandwidth and utilisation.

/**
 * Contract: `send` is called in non-decreasing `nowPs` order (the clock owner's order), so the FIFO
 * reservation below is the order packets reach the wire. Wire time is kept unrounded (the 128b/130b byte
 * times are dyadic fractions of a ps, exact in binary); callers round event times up to whole ps.
 */
export class LinkDirection {
  /** Time at which the wire is next free, in (fractional) ps. */
  private freeAtPs = 0;
  busyPs = 0;
  wireBytes = 0;
  payloadBytes = 0;
  packets = 0;
  dllpBytes = 0;

  constructor(
    readonly name: string,
    readonly psPerWireByte: number,
  ) {}

  /** Queues a packet of `wireBytes` carrying `payloadBytes` of data; returns when its last byte has left (ps, unrounded). */
  send(nowPs: number, wireBytes: number, payloadBytes: number): number {
    const start = this.freeAtPs > nowPs ? this.freeAtPs : nowPs;
    const duration = wireBytes * this.psPerWireByte;
    this.freeAtPs = start + duration;
    this.busyPs += duration;
    this.wireBytes += wireBytes;
    this.payloadBytes += payloadBytes;
    this.packets++;
    return this.freeAtPs;
  }

  /** A data-link-layer packet (Ack, flow-control update): occupies the wire, carries no payload. */
  sendDllp(nowPs: number, bytes: number): number {
    this.dllpBytes += bytes;
    this.packets--;
    return this.send(nowPs, bytes, 0);
  }

  /** Data rate the wire can carry, before packet overhead, in GB/s (bytes per ns). */
  get peakGBps(): number {
    return 1000 / this.psPerWireByte;
  }
}
