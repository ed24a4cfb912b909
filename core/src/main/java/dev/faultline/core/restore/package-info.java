/**
 * Bringing a Compose stack back to the state it was in before an experiment, between the tests of a
 * class, the experiments of run-all and the scenarios of a game day: {@link
 * dev.faultline.core.restore.StackRestore} undoes faults left behind (and names them) and repairs what
 * the stack's own reaction left (a container that stayed exited, an unhealthy one), then waits for the
 * steady state.
 */
package dev.faultline.core.restore;
