/**
 * Bean Validation constraints of the API's request records ({@code api.Requests}), with messages in the house style
 * ({@code "name must be at most 200 characters; length=201"}): a message names no field itself, because
 * {@code ProblemMapper.invalid} puts the request field's path in front of it and in place of the token
 * {@code {field}}. Resources validate a body by declaring it {@code @Valid}; a violation is a 400 problem.
 */
package dev.omnirag.server.api.validation;
