import { setFlagsFromString } from "node:v8";

/**
 * The JavaScript engine set for a process that lives about a second: a check.
 *
 * V8 is tuned for servers and pages that run for minutes. It grows the space where new objects
 * are made after each minor collection (up to 64 MB on Node 24), so that fewer collections pay
 * over a long life, and it compiles hot functions again with two optimizing compilers (Maglev,
 * Turbofan), whose work and memory pay back over many calls. Within a check neither pays back:
 * every page the process grows into is memory the kernel hands over one page at a time — which on
 * the virtual machines runners are costs more than the collections it saves — and the optimizing
 * compilers' memory (their own heaps, on their own threads) is a quarter of a check's, spent on
 * functions called a few thousand times at most. So the young space keeps its first size and
 * functions stay on the interpreter and its baseline compiler (measured in decision 23: a check
 * touches a third fewer pages, peaks ~25 MB lower, and takes ~10% less time, on the benchmark's
 * largest repositories too).
 *
 * Imported first by each door's start, so that loading the bundle is covered too, and by the build's
 * compiler of the bundles' code (src/start/warm.ts): V8 takes compiled code only under the flags it
 * was compiled under, so these are the flags of both (decision 24). Each flag is read
 * by V8 when it next decides (to grow the space, to optimize a function), so setting them after
 * start changes only those decisions; the results are the same.
 */
setFlagsFromString("--semi-space-growth-factor=1");
setFlagsFromString("--no-maglev");
setFlagsFromString("--no-turbofan");
