/**
 * The Docker Engine adapter: the one package in faultline that imports docker-java.
 * {@link dev.faultline.core.engine.docker.DockerEngine} implements
 * {@link dev.faultline.core.engine.Engine} as one adapter call per method; the concerns under the
 * calls each have a class: connecting and API version negotiation ({@code DockerConnection}),
 * time bounds and error translation ({@code DockerCalls}), the self-renewing event stream
 * ({@code DockerEventStream}), stats arithmetic ({@code DockerStats}), log lines and their
 * timestamps ({@code DockerLogs}) and mapping to faultline's types ({@code DockerMapping}).
 * A new engine call goes into {@code DockerEngine}; a new backend (e.g. swarm) gets classes of
 * its own next to these.
 */
package dev.faultline.core.engine.docker;
