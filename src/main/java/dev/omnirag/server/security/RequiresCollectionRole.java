package dev.omnirag.server.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the role a resource method needs in the collection named by its {@code {id}} path parameter.
 * {@link CollectionRoleFilter} checks it after routing and before the request body is read, so a key that may not
 * write to a collection cannot make the server store (or parse) an upload for it. The method still calls
 * {@link Access} itself; this is the check that runs first.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresCollectionRole {

    /** The least role the caller needs in the collection. */
    Role value();
}
