DROP TABLE click_visitors;
DROP TABLE click_daily;
