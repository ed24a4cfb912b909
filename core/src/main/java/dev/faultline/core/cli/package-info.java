/**
 * The edge: what the JShell scripts call (one {@code *Command} per script, each returning the
 * script's exit code) and {@link dev.faultline.core.cli.Settings}, the one place that reads
 * faultline's {@code FAULTLINE_*} environment variables. Nothing else in core depends on this
 * package; domain packages take typed values, never the environment.
 */
package dev.faultline.core.cli;
