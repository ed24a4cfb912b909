package dev.faultline.core.proxy;

/**
 * Counters of a proxy since it started.
 *
 * @param accepted        connections accepted from clients
 * @param open            connections open now
 * @param bytesUpstream   bytes forwarded client to server
 * @param bytesDownstream bytes forwarded server to client
 */
public record ProxyStats(long accepted, int open, long bytesUpstream, long bytesDownstream) {}
