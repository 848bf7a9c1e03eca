package dev.greenlight.fanout;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The refresh contract's signature: header {@code x-greenlight-signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(key, t + "." + body)>}. Verification compares in constant time and refuses a
 * signature older (or further in the future) than five minutes, so a captured call cannot be
 * replayed later. Self-contained on purpose: an external API can copy this one class.
 */
public final class RefreshSignature {
    public static final String HEADER = "x-greenlight-signature";
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;

    public RefreshSignature(String key) {
        if (key == null || key.length() < 16) {
            throw new IllegalArgumentException("the refresh key must be at least 16 characters");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** The header value for {@code body} signed at {@code now}. */
    public String sign(String body, Instant now) {
        long t = now.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(t + "." + body));
    }

    /** Empty when the header is a valid, fresh signature of {@code body}; otherwise why not. */
    public Optional<String> problem(String header, String body, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.of("missing " + HEADER + " header");
        }
        Long t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                return Optional.of("malformed " + HEADER + " header");
            }
            if (kv[0].equals("t")) {
                try {
                    t = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return Optional.of("malformed timestamp in " + HEADER);
                }
            } else if (kv[0].equals("v1")) {
                v1 = kv[1];
            }
        }
        if (t == null || v1 == null) {
            return Optional.of(HEADER + " needs t= and v1=");
        }
        // Not Math.abs(now - t): for a t near Long.MIN_VALUE that overflows, and passed for fresh.
        long seconds = now.getEpochSecond();
        if (t < seconds - TOLERANCE.toSeconds() || t > seconds + TOLERANCE.toSeconds()) {
            return Optional.of("signature timestamp is more than " + TOLERANCE.toMinutes() + " minutes away from now");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(v1);
        } catch (IllegalArgumentException e) {
            return Optional.of("malformed v1 in " + HEADER);
        }
        return MessageDigest.isEqual(given, mac(t + "." + body)) ? Optional.empty()
                : Optional.of("signature does not match");
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is available on every JVM", e);
        }
    }
}
