-- A reservation's public booking code (issue 13, finding 11): printed on tickets and in
-- emails, read out at the box office, used as the calendar UID. Opaque and short: two
-- groups of four in Crockford's base32 (digits and letters without I, L, O, U; a reader
-- typing O for 0 or I/L for 1 is forgiven by the lookup), e.g. "7KQ4-M2XH", 40 bits. It is not a credential: nothing public accepts it in place of a token.
CREATE FUNCTION sipario_booking_code() RETURNS varchar(9)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  bytes bytea;
  code text;
  -- gen_random_uuid() is built in (no pgcrypto) and CSPRNG-backed; bytes 6 and 8 carry
  -- its version and variant bits, so only the others are used.
  positions constant int[] := ARRAY[0, 1, 2, 3, 4, 5, 9, 10];
BEGIN
  LOOP
    bytes := decode(replace(gen_random_uuid()::text, '-', ''), 'hex');
    code := '';
    FOR i IN 1..8 LOOP
      code := code || substr(alphabet, 1 + (get_byte(bytes, positions[i]) % length(alphabet)), 1);
      IF i = 4 THEN code := code || '-'; END IF;
    END LOOP;
    -- A repeat is about one in a trillion per row; the unique index is the real guard.
    EXIT WHEN NOT EXISTS (SELECT 1 FROM "Reservation" WHERE "bookingCode" = code);
  END LOOP;
  RETURN code;
END
$$;

-- AlterTable
ALTER TABLE "Reservation" ADD COLUMN "bookingCode" VARCHAR(9);
UPDATE "Reservation" SET "bookingCode" = sipario_booking_code();
ALTER TABLE "Reservation" ALTER COLUMN "bookingCode" SET NOT NULL,
  ALTER COLUMN "bookingCode" SET DEFAULT sipario_booking_code();

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_bookingCode_key" ON "Reservation"("bookingCode");
