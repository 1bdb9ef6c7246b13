package dev.omnirag.server.api.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * No control characters in a text, the message naming the first one and where it is ({@code "must not contain
 * control characters (such as NUL or a line break); found U+0000 at position 3"}): NUL cannot be stored at all
 * (PostgreSQL text), and the others only make names that cannot be read or typed. With {@link #lineBreaks} tabs and
 * line breaks are allowed (descriptions, comments). Null is valid.
 */
@Documented
@Constraint(validatedBy = NoControlCharacters.Check.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface NoControlCharacters {

    /** Whether tabs and line breaks are allowed (multi-line texts). */
    boolean lineBreaks() default false;

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The check. */
    final class Check implements ConstraintValidator<NoControlCharacters, CharSequence> {
        private boolean lineBreaks;

        @Override
        public void initialize(NoControlCharacters a) {
            lineBreaks = a.lineBreaks();
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            int i = firstControlCharacter(value, lineBreaks);
            if (i < 0) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.unwrap(HibernateConstraintValidatorContext.class)
                    .addMessageParameter("found", found(value, i))
                    .buildConstraintViolationWithTemplate(message(lineBreaks) + "; {found}")
                    .addConstraintViolation();
            return false;
        }

        /** Where the first refused character is, or -1 (also for null). */
        static int firstControlCharacter(CharSequence value, boolean lineBreaks) {
            if (value != null) {
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    boolean allowed = lineBreaks && (c == '\t' || c == '\n' || c == '\r');
                    if ((c < 0x20 && !allowed) || c == 0x7f) {
                        return i;
                    }
                }
            }
            return -1;
        }

        private static String message(boolean lineBreaks) {
            return "must not contain control characters (such as " + (lineBreaks ? "NUL" : "NUL or a line break") + ")";
        }

        private static String found(CharSequence value, int i) {
            return String.format("found U+%04X at position %d", (int) value.charAt(i), i);
        }

        /**
         * The same check for a value outside a request record (a form field, a file name): the message names the field,
         * or null when the value is fine.
         */
        public static String refusal(String field, CharSequence value, boolean lineBreaks) {
            int i = firstControlCharacter(value, lineBreaks);
            return i < 0 ? null : field + " " + message(lineBreaks) + "; " + found(value, i);
        }
    }
}
