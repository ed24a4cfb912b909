package dev.faultline.core.probe;

/** One observation of the system: an HTTP call, a TCP connect, a command, a query. Never throws. */
public interface Probe {

    /** Short name for tables and reports, e.g. "GET http://localhost:8081/health/ -> 200". */
    String name();

    ProbeResult check();
}
