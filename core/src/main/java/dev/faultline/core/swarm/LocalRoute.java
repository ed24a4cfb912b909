package dev.faultline.core.swarm;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Optional;

/** This machine's own address on a network it shares with another address, as the kernel's routing picks it. */
final class LocalRoute {

    private LocalRoute() {}

    /**
     * The local address the kernel sends from to {@code ip} (a literal address), when {@code ip} is on the
     * same link (inside that interface address's prefix); empty when the route goes through a gateway or there
     * is none: then nothing says {@code ip} can connect back to this machine.
     */
    static Optional<InetAddress> onLinkTo(String ip) {
        if (ip == null || !ip.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return Optional.empty(); // only a literal: getByName would otherwise ask DNS
        }
        InetAddress target;
        try {
            target = InetAddress.getByName(ip);
        } catch (IOException e) {
            return Optional.empty();
        }
        // connect() on a datagram socket sends nothing: it only asks the routing table for the source address
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(target, 9);
            InetAddress local = s.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                return Optional.empty();
            }
            NetworkInterface nif = NetworkInterface.getByInetAddress(local);
            if (nif == null) {
                return Optional.empty();
            }
            for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                if (a.getAddress().equals(local) && samePrefix(local, target, a.getNetworkPrefixLength())) {
                    return Optional.of(local);
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static boolean samePrefix(InetAddress a, InetAddress b, int bits) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length || bits < 0 || bits > x.length * 8) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((x[i / 8] & mask) != (y[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
