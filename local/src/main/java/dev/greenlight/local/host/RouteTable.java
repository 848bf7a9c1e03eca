package dev.greenlight.local.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP routes of the app, built once from the HTTP functions' {@code function.json}: the
 * host's route prefix plus each {@code route}, its methods and its auth level. Lookup walks the
 * routes in precedence order; each template rejects a path at its first differing segment.
 */
final class RouteTable {

    /** One HTTP function's route. {@code methods} empty means any method. */
    record Route(RouteTemplate template, Set<String> methods, AuthLevel authLevel, EntryPoint entryPoint) {
        boolean allows(String method) {
            return methods.isEmpty() || methods.contains(method);
        }
    }

    /** The outcome of a lookup; callers switch on {@link #kind()}. {@code allowedMethods} is sorted. */
    record Lookup(Kind kind, Route route, Map<String, String> values, List<String> allowedMethods) {
        enum Kind { FOUND, METHOD_NOT_ALLOWED, NOT_FOUND }

        static final Lookup NOT_FOUND = new Lookup(Kind.NOT_FOUND, null, Map.of(), List.of());
    }

    private final Route[] routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes.toArray(Route[]::new);
    }

    /**
     * Builds the table for the HTTP entry points.
     *
     * @throws LocalHostException when two functions claim the same route and method
     */
    static RouteTable build(String routePrefix, List<EntryPoint> httpEntryPoints) {
        List<Route> routes = new ArrayList<>();
        for (EntryPoint ep : httpEntryPoints) {
            FunctionDefinition.Http http = (FunctionDefinition.Http) ep.definition().trigger();
            Route route = new Route(RouteTemplate.parse(routePrefix, http.route(), ep.name()), http.methods(),
                    http.authLevel(), ep);
            for (Route other : routes) {
                if (other.template().shape().equals(route.template().shape()) && overlap(other, route)) {
                    throw new LocalHostException("functions " + other.entryPoint().name() + " and " + ep.name()
                            + " both serve route " + route.template() + " for the same method");
                }
            }
            routes.add(route);
        }
        routes.sort(Comparator.comparing(Route::template, RouteTemplate::comparePrecedence));
        return new RouteTable(routes);
    }

    private static boolean overlap(Route a, Route b) {
        return a.methods().isEmpty() || b.methods().isEmpty() || !Collections.disjoint(a.methods(), b.methods());
    }

    /** Finds the route for an upper-case method and decoded path segments. */
    Lookup lookup(String method, String[] path) {
        Set<String> allowed = null;
        for (Route route : routes) {
            Map<String, String> values = route.template().match(path);
            if (values == null) {
                continue;
            }
            if (route.allows(method)) {
                return new Lookup(Lookup.Kind.FOUND, route, values, List.of());
            }
            if (allowed == null) {
                allowed = new TreeSet<>();
            }
            allowed.addAll(route.methods());
        }
        return allowed == null ? Lookup.NOT_FOUND
                : new Lookup(Lookup.Kind.METHOD_NOT_ALLOWED, null, Map.of(), List.copyOf(allowed));
    }

    /** The routes in the order they are tried. */
    List<Route> routes() {
        return List.of(routes);
    }
}
