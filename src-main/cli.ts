console.log('staging-editor');
