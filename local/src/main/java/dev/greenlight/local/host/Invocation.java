package dev.greenlight.local.host;

import java.util.Map;
import java.util.Optional;

/**
 * The inputs of one invocation, from which {@link EntryPoint} fills the parameters.
 *
 * @param request     the HTTP request, for {@code @HttpTrigger}; null for other triggers
 * @param routeValues route parameters by name, for {@code @BindingName}; empty for other triggers
 * @param payload     the trigger's string input (event JSON, timer info JSON); null for HTTP
 * @param context     the invocation's {@code ExecutionContext}
 */
record Invocation(LocalHttpRequest<Optional<String>> request, Map<String, String> routeValues, String payload,
                  LocalExecutionContext context) {

    static Invocation http(LocalHttpRequest<Optional<String>> request, Map<String, String> routeValues,
                           LocalExecutionContext context) {
        return new Invocation(request, routeValues, null, context);
    }

    static Invocation trigger(String payload, LocalExecutionContext context) {
        return new Invocation(null, Map.of(), payload, context);
    }
}
