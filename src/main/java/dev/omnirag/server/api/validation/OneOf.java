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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * One of the given words, compared stripped and without regard to case; the message lists them and quotes the value
 * ({@code "must be one of [read, write, admin]; role=owner"}). Null is refused too: a field that may be left out is
 * not annotated with this.
 */
@Documented
@Constraint(validatedBy = OneOf.Check.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface OneOf {

    /** The allowed words, lower case. */
    String[] value();

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The check. */
    final class Check implements ConstraintValidator<OneOf, String> {
        private List<String> allowed;

        @Override
        public void initialize(OneOf a) {
            allowed = Arrays.asList(a.value());
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value != null && allowed.contains(value.strip().toLowerCase(Locale.ROOT))) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.unwrap(HibernateConstraintValidatorContext.class)
                    .addMessageParameter("allowed", allowed.toString())
                    .addMessageParameter("value", String.valueOf(value))
                    .buildConstraintViolationWithTemplate("must be one of {allowed}; {field}={value}")
                    .addConstraintViolation();
            return false;
        }
    }
}
