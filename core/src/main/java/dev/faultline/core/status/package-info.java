/**
 * What the stack looks like before any experiment: per service its containers, state, health,
 * restart policy and ports, and the warnings a team should hear first (no restart policy, no
 * healthcheck, one replica, one Gunicorn worker, a container down or unhealthy).
 */
package dev.faultline.core.status;
