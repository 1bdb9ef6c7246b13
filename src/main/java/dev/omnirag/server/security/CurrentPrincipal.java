package dev.omnirag.server.security;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentPrincipal {

    private Principal principal;

    /** The caller, or null when no filter authenticated this request. */
    public Principal get() {
        return principal;
    }

    void set(Principal principal) {
        this.principal = principal;
    }
}
