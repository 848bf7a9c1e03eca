package dev.greenlight.fanout;

/**
 * What one refresh target said: the last HTTP status (0 when it never answered), how many
 * attempts it took, how long all of them took, whether it confirmed serving the version, and
 * the last error when it did not.
 */
public record RefreshOutcome(String target, int status, int attempts, long latencyMillis, boolean confirmed,
                             String error) {
}
