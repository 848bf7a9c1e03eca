package dev.greenlight.events;

import dev.greenlight.errors.ClientValue;
import java.util.Locale;

/**
 * Which Event Grid {@code topic} (CloudEvents {@code source}) Greenlight acts on: only events
 * from the registry it is configured with. A {@code ModelRegistered} from another workspace
 * for a model of the same name must not be judged.
 *
 * <ul>
 * <li>{@code GREENLIGHT_REGISTRY} an Azure ML workspace or registry resource id: that id, compared
 * case-insensitively (ARM ids are) and ignoring a trailing {@code /}.
 * <li>A local registry folder: {@link #LOCAL_TOPIC}, the topic the local CLI's {@code register}
 * delivers.
 * </ul>
 */
public final class EventScope {
    /** The workspace id the local registry's events carry (there is no Azure workspace locally). */
    public static final String LOCAL_TOPIC =
            "/subscriptions/local/resourceGroups/local/providers/Microsoft.MachineLearningServices/workspaces/local";

    private final String accepted;
    private final String key;

    private EventScope(String accepted) {
        this.accepted = accepted;
        this.key = normalize(accepted);
    }

    /** The scope for a {@code GREENLIGHT_REGISTRY} value. */
    public static EventScope of(String registrySetting) {
        String value = registrySetting == null ? "" : registrySetting.trim();
        boolean resourceId = value.regionMatches(true, 0, "/subscriptions/", 0, "/subscriptions/".length());
        return new EventScope(resourceId ? value : LOCAL_TOPIC);
    }

    /** Whether an event with this topic (or source) comes from the configured registry. */
    public boolean accepts(String topic) {
        return topic != null && normalize(topic).equals(key);
    }

    /** Why an event from {@code topic} is refused, for the log. */
    String refusal(String topic) {
        return "it comes from '" + ClientValue.clip(topic) + "', not from the configured registry '" + accepted + "'";
    }

    /** The topic accepted. */
    public String accepted() {
        return accepted;
    }

    private static String normalize(String topic) {
        String t = topic.trim();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return accepted;
    }
}
