/**
 * Benchmarks for {@code make bench}: JMH benchmarks (probe overhead) and plain measuring programs for what
 * JMH cannot express (lateness of scheduled work, end-to-end fault timing, proxy latency and throughput, load
 * generators side by side). Each program prints one {@code RESULT} line per figure so that
 * {@code benchmarks/run.sh} can collect them into one results file.
 */
package dev.faultline.benchmarks;
