-- Duties that one instance does at a time for all that share the store (listing the input folder or bucket): the
-- row names the holder and when its lease runs out (epoch millis). The holder renews it as it works; once an
-- instance that died has let its lease run out, another takes the duty over.
create table duty (
    name        varchar(300) not null,
    owner       varchar(200) not null,
    lease_until bigint       not null,
    constraint duty_pk primary key (name)
);
