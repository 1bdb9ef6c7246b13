/** Access-control tests: the service with authentication enabled (tag "auth", a JVM of its own). */
package dev.omnirag.server.security;
