package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Which outgoing traffic of a target a netfilter fault matches: to a destination service's
 * addresses or anywhere but loopback, on one port (TCP and/or UDP) or all.
 *
 * @param service   destination service, or null for every destination except the target's loopback
 * @param port      destination port, 0 for every port
 * @param protocols {@code tcp}, {@code udp}, or both; used only with a port
 */
public record Egress(String service, int port, List<String> protocols) {

    public Egress {
        if (service != null) {
            Checks.service(service);
        }
        Checks.between("destinationPort", port, 0, 65535);
        protocols = List.copyOf(protocols);
    }

    public static Egress anywhere() {
        return new Egress(null, 0, List.of("tcp", "udp"));
    }

    /** iptables matches, one per destination address and protocol, for a rule in {@code c}'s OUTPUT chain. */
    List<String> matches(FaultContext context, ContainerInfo c, String what) {
        List<String> addresses = new ArrayList<>();
        if (service == null) {
            addresses.add("! -o lo");
        } else {
            Peer.of(context, c, service, what).forEach(p -> addresses.add("-d " + p.ip()));
        }
        List<String> matches = new ArrayList<>();
        for (String a : addresses) {
            if (port == 0) {
                matches.add(a);
            } else {
                protocols.forEach(p -> matches.add(a + " -p " + p + " --dport " + port));
            }
        }
        return matches;
    }

    @Override
    public String toString() {
        String where = service == null ? "anywhere" : service;
        return port == 0 ? where : where + ":" + port + (protocols.size() == 1 ? "/" + protocols.get(0) : "");
    }
}
