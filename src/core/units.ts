// Unit suffixes and converters (style.md convention 2). Compute in base units; convert at the edges.
// GBps and GB are decimal (1e9); GiB is binary (2^30).

export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;
export const NS_PER_S = 1e9;
export const PS_PER_NS = 1e3;

export const gbpsToBytesPerNs = (bandwidthGBps: number): number => bandwidthGBps; // 1 GB/s = 1 byte/ns
export const bytesToGiB = (bytes: number): number => bytes / BYTES_PER_GIB;
export const mhzToPeriodPs = (clockMHz: number): number => 1e6 / clockMHz;
