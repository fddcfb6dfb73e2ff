-- Provider callbacks taken, for replay protection across every instance sharing the store: a delivery's key is
-- unique per provider, and it is kept until a copy of it would be refused as stale anyway (valid_until, epoch
-- millis), then pruned.
create table webhook_delivery (
    provider     varchar(50)  not null,
    delivery_key varchar(300) not null,
    valid_until  bigint       not null,
    received_at  bigint       not null,
    constraint webhook_delivery_pk primary key (provider, delivery_key)
);
create index webhook_delivery_valid_idx on webhook_delivery (valid_until);
