/**
 * Helper containers: the small image faultline builds locally on first use (iptables, iproute2,
 * procps, stress-ng) and the containers it runs next to a target to make a fault happen from
 * outside it. Every helper carries the run id as a label and enforces its own deadline, so that
 * a fault ends and can be found again even when the JVM that made it died.
 */
package dev.faultline.core.helper;
