package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.util.ArrayList;
import java.util.List;

/** A running container of another service, with its address on a network that a target shares with it. */
record Peer(String name, String ip) {

    /**
     * The running containers of {@code service} that {@code from} can reach, each by its address on
     * the first network they share.
     *
     * @param what the fault, for the message, e.g. {@code "latency web-1 -> db:5432"}
     * @throws FaultException when none is running on a shared network
     */
    static List<Peer> of(FaultContext context, ContainerInfo from, String service, String what) {
        List<Peer> found = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        List<String> notRunning = new ArrayList<>();
        for (ContainerInfo d : context.targets().containers(service)) {
            if (d.id().equals(from.id())) {
                continue;
            }
            if (!d.running()) {
                notRunning.add(d.name() + " is " + context.stateOf(d));
                continue;
            }
            String ip = from.ipAddresses().entrySet().stream()
                    .filter(e -> d.ipAddresses().containsKey(e.getKey()))
                    .map(e -> d.ipAddresses().get(e.getKey()))
                    .filter(a -> a != null && !a.isBlank())
                    .findFirst().orElse(null);
            if (ip == null) {
                unreachable.add(d.name() + " " + d.ipAddresses());
            } else {
                found.add(new Peer(d.name(), ip));
            }
        }
        if (found.isEmpty() && !notRunning.isEmpty() && unreachable.isEmpty()) {
            throw new FaultException(what + ": nothing done, no container of '" + service + "' is running: "
                    + String.join(", ", notRunning));
        }
        if (found.isEmpty()) {
            throw new FaultException(what + ": nothing done, no running container of '" + service + "' shares a network with "
                    + from.name() + " " + from.ipAddresses().keySet() + (unreachable.isEmpty() ? "" : "; seen " + unreachable));
        }
        return found;
    }
}
