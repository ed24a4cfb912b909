package dev.faultline.core.engine;

/** A container port and, when published, where on the host. hostPort 0 = not published. */
public record PublishedPort(int containerPort, String protocol, String hostIp, int hostPort) {
    @Override
    public String toString() {
        return hostPort == 0
                ? containerPort + "/" + protocol
                : (hostIp == null || hostIp.isEmpty() ? "" : hostIp + ":") + hostPort + "->" + containerPort + "/" + protocol;
    }
}
