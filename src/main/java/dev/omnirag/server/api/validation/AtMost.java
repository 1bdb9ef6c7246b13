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
import java.util.Collection;
import java.util.Map;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * At most {@link #value} characters (a text), entries (a list) or keys (a map), the message saying how many there
 * are: {@code "must be at most 200 characters; length=201"}, {@code "may hold at most 1000 entries; it holds 1001"}.
 * Null is valid.
 */
@Documented
@Constraint(validatedBy = {AtMost.TextLength.class, AtMost.ListSize.class, AtMost.MapSize.class})
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface AtMost {

    /** The most characters, entries or keys allowed. */
    int value();

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Texts: characters. */
    final class TextLength implements ConstraintValidator<AtMost, CharSequence> {
        private int max;

        @Override
        public void initialize(AtMost a) {
            max = a.value();
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            return value == null
                    || value.length() <= max
                    || Refusal.refuse(context, "must be at most {max} characters; length={n}", max, value.length());
        }
    }

    /** Lists: entries. */
    final class ListSize implements ConstraintValidator<AtMost, Collection<?>> {
        private int max;

        @Override
        public void initialize(AtMost a) {
            max = a.value();
        }

        @Override
        public boolean isValid(Collection<?> value, ConstraintValidatorContext context) {
            return value == null
                    || value.size() <= max
                    || Refusal.refuse(context, "may hold at most {max} entries; it holds {n}", max, value.size());
        }
    }

    /** Maps: keys. */
    final class MapSize implements ConstraintValidator<AtMost, Map<?, ?>> {
        private int max;

        @Override
        public void initialize(AtMost a) {
            max = a.value();
        }

        @Override
        public boolean isValid(Map<?, ?> value, ConstraintValidatorContext context) {
            return value == null
                    || value.size() <= max
                    || Refusal.refuse(context, "may hold at most {max} keys; it holds {n}", max, value.size());
        }
    }

    /** Reports a violation with its count. */
    final class Refusal {
        private Refusal() {}

        static boolean refuse(ConstraintValidatorContext context, String template, int max, int n) {
            context.disableDefaultConstraintViolation();
            context.unwrap(HibernateConstraintValidatorContext.class)
                    .addMessageParameter("max", max)
                    .addMessageParameter("n", n)
                    .buildConstraintViolationWithTemplate(template)
                    .addConstraintViolation();
            return false;
        }
    }
}
