package dev.greenlight.local.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who runs the CLI, as decisions record it: {@code cli:<user>@<host>}. */
final class Actor {
    private static final String CURRENT = "cli:" + safe(System.getProperty("user.name", "operator")) + "@"
            + safe(hostname());

    private Actor() {
    }

    static String current() {
        return CURRENT;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    // A header value and a ledger field: keep to characters every hop passes through unchanged.
    private static String safe(String part) {
        String cleaned = part.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() ? "unknown" : cleaned;
    }
}
