/**
 * Docker Swarm behind the same seams as Compose: {@link dev.faultline.core.swarm.SwarmEngine} is one
 * {@link dev.faultline.core.engine.Engine} over a swarm's manager and its nodes' engines (each container
 * call goes to the node that runs the container, so every container fault works on a task);
 * {@link dev.faultline.core.swarm.SwarmStack} finds a stack's services and tasks
 * ({@code com.docker.stack.namespace}); the faults here have swarm semantics: drain a node, lose a
 * node, scale a service down. docs/swarm.md has the measured facts, docs/kubernetes.md the same
 * seams for Kubernetes.
 */
package dev.faultline.core.swarm;
