"""The dose of support as a stored monthly summary: logged visits, minutes and travel per
practice, coach, month and mode, and minutes per support activity, kept current after every
write to visits and their activities, and read by the dose pages and the API."""
