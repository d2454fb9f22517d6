console.log("RESULT js-action=ran")
