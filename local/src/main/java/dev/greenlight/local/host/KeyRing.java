package dev.greenlight.local.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The host's keys: the function key, the admin (master) key and the Event Grid extension's
 * system key ({@code eventgrid_extension}, what {@code /runtime/webhooks/eventgrid} requires,
 * as in Azure).
 *
 * <p>Each comes from its setting ({@value #FUNCTION_KEY_SETTING}, {@value #ADMIN_KEY_SETTING},
 * {@value #EVENTGRID_KEY_SETTING}); when unset it is generated once — 32 random bytes, base64url —
 * into {@code <dataDir>/secrets/<name>.key}, readable by the owner only, and reused on later
 * starts. Keys are never printed or logged; {@link #toString()} hides them. Comparisons take
 * constant time.
 */
public final class KeyRing {

    public static final String FUNCTION_KEY_SETTING = "GREENLIGHT_FUNCTION_KEY";
    public static final String ADMIN_KEY_SETTING = "GREENLIGHT_ADMIN_KEY";
    public static final String EVENTGRID_KEY_SETTING = "GREENLIGHT_EVENTGRID_KEY";

    private static final Logger LOG = Logger.getLogger(KeyRing.class.getName());
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final String functionKey;
    private final String adminKey;
    private final String eventGridKey;
    private final byte[] functionBytes;
    private final byte[] adminBytes;
    private final byte[] eventGridBytes;

    private KeyRing(String functionKey, String adminKey, String eventGridKey) {
        this.functionKey = functionKey;
        this.adminKey = adminKey;
        this.eventGridKey = eventGridKey;
        this.functionBytes = functionKey.getBytes(StandardCharsets.UTF_8);
        this.adminBytes = adminKey.getBytes(StandardCharsets.UTF_8);
        this.eventGridBytes = eventGridKey.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The keys from the settings, else from (or newly generated into) {@code dataDir/secrets}.
     *
     * @throws LocalHostException when a key file cannot be read or written
     */
    public static KeyRing load(Path dataDir, LocalSettings settings) {
        Path secrets = dataDir.resolve("secrets");
        return new KeyRing(
                key(settings, FUNCTION_KEY_SETTING, secrets.resolve("function.key")),
                key(settings, ADMIN_KEY_SETTING, secrets.resolve("admin.key")),
                key(settings, EVENTGRID_KEY_SETTING, secrets.resolve("eventgrid_extension.key")));
    }

    /** The function key, for the caller's own requests (for example the CLI's). Never print it. */
    public String functionKey() {
        return functionKey;
    }

    /** The admin (master) key, for the caller's own requests. Never print it. */
    public String adminKey() {
        return adminKey;
    }

    /** The Event Grid extension's system key, the {@code code} of the webhook URL. Never print it. */
    public String eventGridKey() {
        return eventGridKey;
    }

    /** Whether {@code presented} (may be null) opens a route of this auth level. */
    boolean allows(AuthLevel level, String presented) {
        return switch (level) {
            case ANONYMOUS -> true;
            case FUNCTION -> matches(presented, functionBytes) | matches(presented, adminBytes);
            case ADMIN -> matches(presented, adminBytes);
        };
    }

    /** Whether {@code presented} opens the Event Grid webhook: its system key or the admin key. */
    boolean allowsWebhook(String presented) {
        return matches(presented, eventGridBytes) | matches(presented, adminBytes);
    }

    /** Whether {@code presented} is the admin key. */
    boolean isAdmin(String presented) {
        return matches(presented, adminBytes);
    }

    private static boolean matches(String presented, byte[] key) {
        // MessageDigest.isEqual takes the same time for any content of equal length.
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), key);
    }

    private static String key(LocalSettings settings, String setting, Path file) {
        return settings.get(setting).map(String::trim).orElseGet(() -> readOrGenerate(file));
    }

    private static String readOrGenerate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return read(file);
            }
            Files.createDirectories(file.getParent(), ownerOnly(OWNER_DIR));
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp", ownerOnly(OWNER_FILE));
            try {
                Files.writeString(tmp, newKey(), StandardCharsets.UTF_8);
                // Without REPLACE_EXISTING: if another host wrote the key meanwhile, keep theirs.
                Files.move(tmp, file);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
            LOG.info(() -> "generated a new key in " + file);
            return read(file);
        } catch (IOException e) {
            throw new LocalHostException("cannot read or create key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) throws IOException {
        if (isPosix()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_FILE.containsAll(perms)) {
                LOG.warning(() -> "key file " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
                        + "); run chmod 600 on it");
            }
        }
        String key = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (key.isEmpty()) {
            throw new LocalHostException("key file " + file + " is empty; delete it to have a new key generated");
        }
        return key;
    }

    private static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> perms) {
        return isPosix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public String toString() {
        return "KeyRing[keys hidden]";
    }
}
